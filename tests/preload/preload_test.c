/* A habanalabs user program that checks the device behaves as the real driver documents. It
 * is plain C against the uAPI header and knows nothing of gaudisim: CTest runs it under
 * LD_PRELOAD=libgaudisim_preload.so (tests/CMakeLists.txt), one subtest per process. */
#include "pt_common.h"

static const struct {
	const char *name;
	int (*run)(void);
} tests[] = {
	{"discovery", test_discovery}, {"info", test_info},           {"cb_mmap", test_cb_mmap},
	{"packets", test_packets},     {"sync", test_sync},           {"in_flight", test_in_flight},
	{"threads", test_threads},     {"bad_args", test_bad_args},   {"leaks", test_leaks},
	{"qman_error", test_qman_error}, {"close_in_flight", test_close_in_flight},
	{"unmapped_dma", test_unmapped_dma}, {"wait_cs", test_wait_cs}, {"zero_pages", test_zero_pages},
	{"sync_ranges", test_sync_ranges}, {"device_memory", test_device_memory}, {"protection", test_protection},
	{"drm_codes", test_drm_codes}, {"info_all", test_info_all}, {"cs_features", test_cs_features},
	{"nodes", test_nodes}, {"fork", test_fork}, {"wall_time", test_wall_time},
};

int main(int argc, char **argv)
{
	int ran = 0;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
			continue;
		if (tests[i].run() != 0) {
			fprintf(stderr, "FAILED %s\n", tests[i].name);
			return 1;
		}
		printf("ok %s\n", tests[i].name);
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "usage: %s [test]; no test named %s\n", argv[0], argc > 1 ? argv[1] : "");
		return 2;
	}
	return 0;
}
