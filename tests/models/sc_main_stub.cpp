// libsystemc.so defines main() and needs sc_main; the tests use GoogleTest's main instead,
// so this sc_main only satisfies the linker and never runs. Each test elaborates its own
// world from the test body.
extern "C" int sc_main(int, char**) { return 0; }
