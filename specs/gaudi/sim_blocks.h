/* What is gaudisim's own between the card and its driver, where the real GAUDI's counterpart
 * is not public: a register block (the HBM scrubber; offsets relative to CFG_BASE, in a range
 * no public GAUDI block uses), the firmware message format of the CPU queue with its NIC
 * opcodes, and two facts the firmware tells beyond the public CPU-CP layouts. Shared by the
 * card model and the driver; see docs/address-map.md and docs/uapi.md. */
#ifndef GAUDISIM_SPECS_GAUDI_SIM_BLOCKS_H
#define GAUDISIM_SPECS_GAUDI_SIM_BLOCKS_H

/* What gaudisim's firmware tells the driver beyond the public cpucp_info fields (docs/uapi.md):
 * - the SRAM size in cpucp_info's reserved word (real firmware leaves it 0; the driver then
 *   takes the HL-205's 20 MiB, as Linux's fixed SRAM_SIZE);
 * - the card's serial number as the first 8 bytes (little-endian) of the EEPROM image that
 *   CPU-CP EEPROM_DATA_GET returns (the real FRU layout is not public). */
#define GSIM_CPUCP_INFO_SRAM_BYTES  1152u /* u32: GAUDI_CPUCP_INFO_RESERVED1 */
#define GSIM_SRAM_BYTES_DEFAULT     0x1400000u /* 20 MiB: the HL-205's usable SRAM */
#define GSIM_EEPROM_SERIAL          0x00u /* u64 */
#define GSIM_EEPROM_IMAGE_SIZE      8u

/* HBM scrubber: the memory controller zeroes [ADDR, ADDR + SIZE) of HBM (device addresses,
 * 2 MiB aligned) at the HBM's bandwidth; STATUS reads BUSY until it is done. The driver
 * scrubs the released context's HBM with it (on silicon: DMA memsets from every engine, which
 * gaudisim would have to move chunk by chunk through 32 GiB). */
#define GSIM_HBM_SCRUB_BASE        0x1FF2000u
#define GSIM_HBM_SCRUB_ADDR_LO     0x00u
#define GSIM_HBM_SCRUB_ADDR_HI     0x04u
#define GSIM_HBM_SCRUB_SIZE_LO     0x08u
#define GSIM_HBM_SCRUB_SIZE_HI     0x0Cu
#define GSIM_HBM_SCRUB_CMD         0x10u /* write GSIM_HBM_SCRUB_GO to start */
#define GSIM_HBM_SCRUB_STATUS      0x14u /* ro */
#define GSIM_HBM_SCRUB_GO          1u
#define GSIM_HBM_SCRUB_STATUS_BUSY 0x1u
#define GSIM_HBM_SCRUB_STATUS_ERR  0x2u /* the last range was not inside HBM */

#define GSIM_BLOCK_SIZE            0x1000u

/* Driver -> firmware messages on the CPU queue (queue 8). The ring is programmed through the
 * public mmCPU_IF_PQ_* registers and rung through mmCPU_IF_PF_PQ_PI; each 16-byte entry
 * (gaudi_qman_pq_entry) points at one message in host memory. The message follows the public
 * cpucp packet's shape (value/result, ctl with the opcode in bits 31..16, fence); the NIC
 * opcodes are gaudisim's own (the public record of the 2020 NIC firmware calls is partial). */
#define GSIM_CPU_MSG_SIZE            32u
#define GSIM_CPU_MSG_VALUE           0x00u /* u64: argument in, result out */
#define GSIM_CPU_MSG_CTL             0x08u /* u32: opcode << 16 | rc (bits 15..12) */
#define GSIM_CPU_MSG_FENCE           0x0Cu /* u32: firmware writes GSIM_CPU_FENCE_DONE when done */
#define GSIM_CPU_MSG_INDEX           0x10u /* u32: port or other index */
#define GSIM_CPU_MSG_OPCODE_SHIFT    16
#define GSIM_CPU_MSG_RC_SHIFT        12
#define GSIM_CPU_MSG_RC_MASK         0xF000u
#define GSIM_CPU_FENCE_DONE          0xFE8CE7A5u /* the public CPUCP_PACKET_FENCE_VAL */
#define GSIM_CPU_RC_OK               0u
#define GSIM_CPU_RC_BAD_OPCODE       1u
#define GSIM_CPU_RC_BAD_ARG          2u
#define GSIM_CPU_OP_NOP              0x0000u
#define GSIM_CPU_OP_FIRST_OWN        0x0100u /* below: the public CPU-CP opcodes (cpucp.h) */
#define GSIM_CPU_OP_NIC_PORTS_ENABLE 0x0100u /* value: mask of ports to enable */
#define GSIM_CPU_OP_NIC_PORTS_DISABLE 0x0101u /* value: mask of ports to disable */
#define GSIM_CPU_OP_NIC_LINK_STATUS  0x0102u /* result: mask of ports whose link is up */

#endif
