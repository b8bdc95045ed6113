/* Register protection (issue 15 item 3): the card, programmed by the driver, polices what
 * user CBs write. A write to a protected register raises a RAZWI event and fails that CS;
 * the registers user space owns (QMAN arbitration, sync manager, engine configuration)
 * take WREG_32 and MSG_LONG. The parser refuses only what the real one refuses on external
 * queues: MSG_PROT, CP_DMA, STOP, WREG_BULK (EPERM), a LOAD_AND_EXE that loads into the CP
 * (EPERM), packets a user CB may not hold at all, such as WAIT (EINVAL). */
#include "pt_common.h"

#include <sys/ioctl.h>
#include <unistd.h>

#define DMA0_QM_IN_WINDOW 0x8000u /* DMA0's QMAN inside its 64 KiB register window */

static uint32_t razwi_events(int fd)
{
	static uint32_t ev[1024];
	memset(ev, 0, sizeof ev);
	CHECK(pt_info(fd, HL_INFO_HW_EVENTS, ev, sizeof ev) == 0, "INFO HW_EVENTS");
	return ev[GAUDI_EVENT_RAZWI_OR_ADC];
}

static int64_t submit_packet(int fd, struct pt_cb *cb, uint32_t op, uint32_t word0, uint32_t bytes)
{
	cb->c.size = 0;
	cb_raw(&cb->c, op, word0, bytes);
	return pt_submit1(fd, GAUDI_QUEUE_ID_DMA_0_0, cb);
}

int test_protection(void)
{
	static uint32_t host[2] __attribute__((aligned(64)));
	int fd = pt_open(0, 0);
	CHECK(fd >= 0, "open");
	struct pt_cb cb;
	pt_cb_new(fd, &cb, 4096);
	uint64_t host_dev = pt_map_host(fd, host, sizeof host);

	/* A user-owned register: the QMAN's arbitration configuration. WREG_32 writes it, and a
	 * DMA reads it back (user reads of open registers are allowed too). */
	cb_wreg32(&cb.c, DMA0_QM_IN_WINDOW + QM_ARB_CFG_0, 0x5);
	cb_lin_dma(&cb.c, CFG_BASE + DMA_QM(0) + QM_ARB_CFG_0, host_dev, 4, 0, 1);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "WREG_32 to ARB_CFG_0");
	CHECK(host[0] == 0x5, "ARB_CFG_0 reads 0x%x", host[0]);
	/* MSG_LONG to the same register. */
	cb.c.size = 0;
	cb_msg_long(&cb.c, CFG_BASE + DMA_QM(0) + QM_ARB_CFG_0, 0, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_1, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "MSG_LONG to ARB_CFG_0");

	/* A protected register: the queue base of a stream. The CS fails, a RAZWI is reported,
	 * and the queue runs the next CS. */
	uint32_t before = razwi_events(fd);
	cb.c.size = 0;
	cb_wreg32(&cb.c, DMA0_QM_IN_WINDOW + QM_PQ_BASE_LO(3), 0x1000);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == -EIO, "WREG_32 to PQ_BASE_LO_3");
	cb.c.size = 0;
	cb_msg_long(&cb.c, CFG_BASE + DMA_QM(1) + QM_PQ_BASE_LO(0), 0, 0, 0);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_2, &cb) == -EIO, "MSG_LONG to DMA1's PQ_BASE_LO_0");
	cb.c.size = 0;
	cb_msg_long(&cb.c, CFG_BASE + 0xC13000u, 1, 0, 0); /* an MSI trigger: the driver's */
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_2, &cb) == -EIO, "MSG_LONG to the MSI block");
	CHECK(razwi_events(fd) == before + 3, "RAZWI events: %u, expected %u", razwi_events(fd), before + 3);
	cb.c.size = 0;
	cb_nop(&cb.c);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "DMA_0_0 after the RAZWI");

	/* The parser's allow-list. */
	CHECK(submit_packet(fd, &cb, PKT_MSG_PROT, 0, 16) == -EPERM, "MSG_PROT");
	CHECK(submit_packet(fd, &cb, PKT_CP_DMA, 8, 16) == -EPERM, "CP_DMA");
	CHECK(submit_packet(fd, &cb, PKT_STOP, 0, 8) == -EPERM, "STOP");
	CHECK(submit_packet(fd, &cb, PKT_WREG_BULK, 0, 8) == -EPERM, "WREG_BULK");
	CHECK(submit_packet(fd, &cb, PKT_LOAD_AND_EXE, 1, 16) == -EPERM, "LOAD_AND_EXE loading into the CP");
	CHECK(submit_packet(fd, &cb, PKT_WAIT, 0, 8) == -EINVAL, "WAIT");
	int64_t seq = submit_packet(fd, &cb, PKT_LOAD_AND_EXE, 0, 16);
	CHECK(seq > 0, "LOAD_AND_EXE without DST passes the parser: %lld", (long long)seq);
	pt_wait(fd, (uint64_t)seq, 1000000, NULL); /* whatever the QMAN makes of it */
	cb.c.size = 0;
	cb_nop(&cb.c);
	CHECK(pt_run1(fd, GAUDI_QUEUE_ID_DMA_0_0, &cb) == HL_WAIT_CS_STATUS_COMPLETED, "the device stays usable");
	pt_cb_free(fd, &cb);
	close(fd);
	return 0;
}
