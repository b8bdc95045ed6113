/* The PCIe core of GAUDI as both drivers program it (public facts of the Linux habanalabs
 * driver and the DesignWare iATU layout): the ELBI window in configuration space and the iATU
 * behind the DBI window. Register offsets: regs.h (mmPCIE_AUX_DBI, GAUDI_BLK_PCIE_DBI). */
#ifndef GAUDISIM_SPECS_GAUDI_PCIE_CORE_H
#define GAUDISIM_SPECS_GAUDI_PCIE_CORE_H

/* ELBI: reaches on-chip registers without a BAR. Clear STS, write ADDR (the device address's
 * low 32 bits) and DATA, then CTRL; STS then says done or error. */
#define GAUDI_PCI_CONFIG_ELBI_ADDR       0xFF0u
#define GAUDI_PCI_CONFIG_ELBI_DATA       0xFF4u
#define GAUDI_PCI_CONFIG_ELBI_CTRL       0xFF8u
#define GAUDI_PCI_CONFIG_ELBI_STS        0xFFCu
#define GAUDI_PCI_CONFIG_ELBI_CTRL_WRITE (1u << 31)
#define GAUDI_PCI_CONFIG_ELBI_STS_DONE   (1u << 31)
#define GAUDI_PCI_CONFIG_ELBI_STS_ERR    (1u << 30)

/* mmPCIE_AUX_DBI = this: the DBI window (GAUDI_BLK_PCIE_DBI) shows the iATU; 0 gives it back. */
#define GAUDI_PCIE_AUX_DBI_IATU          0x00300000u

/* Inbound region r of the iATU (offsets in the DBI window). An enabled region in BAR-match
 * mode points its whole BAR at TARGET; both drivers use region 2 for the HBM BAR. */
#define GAUDI_IATU_INBOUND(r)            (0x100u + 0x200u * (unsigned)(r))
#define GAUDI_IATU_CTRL1                 0x00u
#define GAUDI_IATU_CTRL2                 0x04u
#define GAUDI_IATU_TARGET_LO             0x14u
#define GAUDI_IATU_TARGET_HI             0x18u
#define GAUDI_IATU_CTRL2_ENABLE          (1u << 31)
#define GAUDI_IATU_CTRL2_BAR_MATCH       (1u << 30)
#define GAUDI_IATU_CTRL2_BAR_SHIFT       8
#define GAUDI_IATU_CTRL2_BAR_MASK        0x700u
#define GAUDI_IATU_HBM_REGION            2

#endif
