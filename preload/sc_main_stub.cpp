// libsystemc refers to sc_main (its own main() would call it). The preloaded program has
// its own main, so this one never runs; it only resolves the reference.
#include <systemc>

extern "C" int sc_main(int, char**) { return 0; }
