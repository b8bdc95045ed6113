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
/* RAZWI (read as zero, write ignored): a user transaction hit a register the driver protected
 * (protection bits, a block without them, a sync object or monitor of the driver's range).
 * The public id; the payload after the 8-byte header is gaudisim's (silicon latches the
 * initiator in MMU_UP_RAZWI_* registers): u64 device address, u64 initiator | is-write << 32. */
#define GAUDI_EVENT_RAZWI_OR_ADC 548
/* RAZWI initiator ids: the public gaudi_engine_id numbering for engine cores (DMA 0..7 = 0..7,
 * MME 0..3 = 8..11, TPC 0..7 = 12..19, NIC 0..9 = 20..29); the engine's QMAN (its CPs) adds
 * GSIM_RAZWI_INIT_QMAN; a sync manager's monitor is GSIM_RAZWI_INIT_SYNC_MNGR + manager
 * (E_N, E_S, W_N, W_S). Not public: gaudisim values. */
#define GSIM_RAZWI_INIT_DMA(n)       (0u + (unsigned)(n))
#define GSIM_RAZWI_INIT_MME(n)       (8u + (unsigned)(n))
#define GSIM_RAZWI_INIT_TPC(n)       (12u + (unsigned)(n))
#define GSIM_RAZWI_INIT_NIC(n)       (20u + (unsigned)(n))
#define GSIM_RAZWI_INIT_QMAN         0x100u
#define GSIM_RAZWI_INIT_SYNC_MNGR    0x200u
#define GAUDI_EVENT_SIZE      1024 /* entries of the HL_INFO_HW_EVENTS array gaudisim reports */

#endif
