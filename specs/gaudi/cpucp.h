/* CPU-CP: the packets the driver sends the device CPU's firmware on the CPU queue (public
 * habanalabs firmware interface, declared here from its published numbers and layouts).
 * A packet is 24 bytes in host memory: u64 value/result/addr, u32 ctl (opcode << 16, rc in
 * bits 15..12), u32 fence (the firmware writes CPUCP_FENCE_VAL when done), u32 index. */
#ifndef GAUDISIM_SPECS_GAUDI_CPUCP_H
#define GAUDISIM_SPECS_GAUDI_CPUCP_H

#define GAUDI_CPUCP_PKT_SIZE        24u
#define GAUDI_CPUCP_PKT_VALUE       0x00u
#define GAUDI_CPUCP_PKT_CTL         0x08u
#define GAUDI_CPUCP_PKT_FENCE       0x0Cu
#define GAUDI_CPUCP_PKT_INDEX       0x10u /* index / pll_index / data_max_size */
#define GAUDI_CPUCP_OPCODE_SHIFT    16
#define GAUDI_CPUCP_OPCODE_MASK     0x1FFF0000u
#define GAUDI_CPUCP_FENCE_VAL       0xFE8CE7A5u

enum gaudi_cpucp_opcode {
	GAUDI_CPUCP_DISABLE_PCI_ACCESS = 1,
	GAUDI_CPUCP_ENABLE_PCI_ACCESS = 2,
	GAUDI_CPUCP_TEMPERATURE_GET = 3,
	GAUDI_CPUCP_FREQUENCY_SET = 9,
	GAUDI_CPUCP_FREQUENCY_GET = 10,
	GAUDI_CPUCP_INFO_GET = 14,
	GAUDI_CPUCP_UNMASK_RAZWI_IRQ = 16,
	GAUDI_CPUCP_UNMASK_RAZWI_IRQ_ARRAY = 17,
	GAUDI_CPUCP_TEST = 18,
	GAUDI_CPUCP_FREQUENCY_CURR_GET = 19,
	GAUDI_CPUCP_MAX_POWER_GET = 20,
	GAUDI_CPUCP_MAX_POWER_SET = 21,
	GAUDI_CPUCP_EEPROM_DATA_GET = 22,
	GAUDI_CPUCP_NIC_INFO_GET = 23,
	GAUDI_CPUCP_PCIE_REPLAY_CNT_GET = 28,
	GAUDI_CPUCP_TOTAL_ENERGY_GET = 29,
	GAUDI_CPUCP_POWER_GET = 32,
	GAUDI_CPUCP_MSI_INFO_SET = 37
};

enum gaudi_cpucp_rc {
	GAUDI_CPUCP_RC_OK = 0,
	GAUDI_CPUCP_RC_INVALID = 1,
	GAUDI_CPUCP_RC_FAULT = 2,
	GAUDI_CPUCP_RC_INVALID_PKT = 3,
	GAUDI_CPUCP_RC_INVALID_PARAMS = 4
};

/* struct cpucp_info (INFO_GET writes it to the packet's address, at most data_max_size bytes,
 * and answers the size written): the fields gaudisim fills or reads. */
#define GAUDI_CPUCP_INFO_SIZE            1768u
#define GAUDI_CPUCP_INFO_SENSORS         0u    /* {u32 type, u32 flags}[128], ends at type 0 */
#define GAUDI_CPUCP_SENSOR_TYPE_TEMP     1u    /* hwmon_temp */
/* Firmware that does not announce CPU_BOOT_DEV_STS0_MAP_HWMON_EN (gaudisim's) gets and gives
 * the kernel's hwmon numbering: flags HWMON_T_INPUT, attribute hwmon_temp_input. */
#define GAUDI_CPUCP_SENSOR_TEMP_INPUT    0x2u  /* HWMON_T_INPUT */
#define GAUDI_CPUCP_TEMP_INPUT           1u    /* TEMPERATURE_GET attribute hwmon_temp_input: the current value */
#define GAUDI_CPUCP_INFO_KERNEL_VERSION  1024u /* char[128] */
#define GAUDI_CPUCP_INFO_RESERVED1       1152u /* u32 */
#define GAUDI_CPUCP_INFO_CARD_TYPE       1156u /* u32: 0 PCI, 1 PMC (OAM) */
#define GAUDI_CPUCP_INFO_CARD_LOCATION   1160u /* u32: the card's place in its server (module id) */
#define GAUDI_CPUCP_INFO_FUSE_VERSION    1172u /* char[128] */
#define GAUDI_CPUCP_INFO_THERMAL_VERSION 1300u /* char[128] */
#define GAUDI_CPUCP_INFO_CPUCP_VERSION   1428u /* char[128] */
#define GAUDI_CPUCP_INFO_DRAM_SIZE       1560u /* u64 */
#define GAUDI_CPUCP_INFO_CARD_NAME       1568u /* char[16] */
#define GAUDI_CPUCP_INFO_TPC_BINNING     1584u /* u64: bit n set = TPC n binned (disabled) */
#define GAUDI_CPUCP_INFO_EDMA_BINNING    1603u /* u8: bit n set = DMA engine n binned */
#define GAUDI_CPUCP_INFO_MME_BINNING     1632u /* u64: bit n set = MME n binned */
#define GAUDI_CPUCP_VERSION_LEN          128u
#define GAUDI_CPUCP_CARD_NAME_LEN        16u
#define GAUDI_CPUCP_CARD_TYPE_PMC        1u

/* POWER_GET: the packet's type field (u16 at offset 18) names the hwmon attribute. */
#define GAUDI_CPUCP_PKT_TYPE             0x12u
#define GAUDI_CPUCP_POWER_INPUT          8u    /* hwmon_power_input: the power drawn now, mW */

/* struct cpucp_nic_info (NIC_INFO_GET writes it to the packet's address). */
#define GAUDI_CPUCP_NIC_INFO_SIZE        2232u
#define GAUDI_CPUCP_NIC_INFO_MAC_ADDRS   0u    /* u8[6] per port, 128 ports */
#define GAUDI_CPUCP_NIC_INFO_LINK_MASK   768u  /* u64[2]: the ports with a link */

/* PLL indexes of FREQUENCY_GET/SET (enum pll_index). */
#define GAUDI_CPUCP_PLLS                 14u
#define GAUDI_CPUCP_PLL_CPU              0u
#define GAUDI_CPUCP_PLL_MME              5u
#define GAUDI_CPUCP_PLL_TPC              6u

#endif
