/* GAUDI asynchronous event ids that gaudisim's device CPU reports in the event queue, and that
 * the driver decodes. Values follow the public enum gaudi_async_event_id: TPC0_QM is 572 and
 * the QMAN events follow it in the order TPC0..7, MME0, MME2, DMA0..7, NIC0_QM0, NIC0_QM1, ...
 * NIC4_QM1. C99/C++17. */
#ifndef GAUDISIM_SPECS_GAUDI_EVENTS_H
#define GAUDISIM_SPECS_GAUDI_EVENTS_H

#define GAUDI_EVENT_TPC0_QM   572 /* + n for TPC n */
#define GAUDI_EVENT_MME0_QM   580
#define GAUDI_EVENT_MME2_QM   581
#define GAUDI_EVENT_DMA0_QM   582 /* + n for DMA n */
#define GAUDI_EVENT_NIC0_QM0  590 /* + n for NIC engine n (macro n/2, QM n%2) */
#define GAUDI_EVENT_NIC4_QM1  599
/* HBM ECC errors, reported by the device CPU with the public ecc_data payload after the
 * 8-byte entry header: u64 device address, u64 syndrome (gaudisim: bits flipped, 1 or 2).
 * Public GAUDI splits them per HBM (GAUDI_EVENT_HBM_0_SERR .. HBM_3_DERR) at ids not in the
 * public record gaudisim works from: not public: gaudisim values, clear of the NIC ids. */
#define GSIM_EVENT_HBM_SERR   990 /* single-bit, corrected */
#define GSIM_EVENT_HBM_DERR   991 /* double-bit, uncorrectable */
#define GAUDI_EVENT_SIZE      1024 /* entries of the HL_INFO_HW_EVENTS array gaudisim reports */

#endif
