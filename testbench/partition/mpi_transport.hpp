// PartitionTransport over MPI. Only built into the gaudisim executable.
#pragma once
#include <memory>

#include "testbench/partition/transport.hpp"

namespace gs {

// Initialises MPI when the process was started by an MPI launcher (mpirun, srun) with more
// than one rank; nullptr otherwise (a plain run never touches MPI). Finalised at exit.
std::unique_ptr<PartitionTransport> start_mpi_if_launched(int* argc, char*** argv);

}  // namespace gs
