/* GAUDI's hardware queues as the habanalabs uAPI numbers them (public ABI: 4 streams per
 * QMAN, DMA0-1 external, then the CPU queue, DMA2-7, the two MME masters, TPC0-7, NIC0-9).
 * The card routes a queue id to its QMAN with these; driver/uapi/habanalabs.h declares the same
 * numbers as the uAPI enum (tests/driver/uapi_layout_test.cpp checks that they agree). C99/C++17. */
#ifndef GAUDISIM_SPECS_GAUDI_QUEUES_H
#define GAUDISIM_SPECS_GAUDI_QUEUES_H

#define GAUDI_QID_DMA_0_0  0u   /* DMA0, DMA1: 4 streams each */
#define GAUDI_QID_CPU_PQ   8u
#define GAUDI_QID_DMA_2_0  9u   /* DMA2..7 */
#define GAUDI_QID_MME_0_0  33u  /* MME_0_* is MME2's QMAN */
#define GAUDI_QID_MME_1_0  37u  /* MME_1_* is MME0's QMAN */
#define GAUDI_QID_TPC_0_0  41u  /* TPC0..7 */
#define GAUDI_QID_NIC_0_0  73u  /* NIC0..9 */
#define GAUDI_QID_COUNT    113u

#endif
