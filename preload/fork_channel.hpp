// A forked child's device calls, served by the process that holds the simulation. Linux
// serves a child on the open file it inherited; here the simulated machine lives in the
// parent, so the child sends each call over a Unix socket to a server thread of the parent,
// which runs it in the simulation on the child's behalf: user pointers are read and written
// in the child's memory (process_vm_readv/writev), buffers it maps for DMA are reached there,
// and its eventfds are taken from its descriptor table (pidfd_getfd). docs/preload.md.
#pragma once
#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "preload/open_files.hpp"

namespace gsp {

enum class ForkOp : uint32_t { hello, open, close, ioctl, mmap, munmap, fork_prep };

struct ForkRequest {
  ForkOp op;
  int32_t driver_fd;
  uint64_t a, b, c;  // ioctl: cmd, arg; mmap: offset, length, child address; hello: generation
  char path[48];     // open: the node's path
};

struct ForkReply {
  int64_t rc;  // >= 0, or -errno
};

// Parent side (preload/fork_server.cpp). Before a fork: the server listens (started once)
// and the files the child inherits are kept for it under a new generation number, which the
// child presents when it connects; 0 if the server cannot run (the child's calls then fail).
uint64_t fork_server_prepare(std::vector<FileRef> inherited);
// Waits until the children that exited have had their files released (Linux releases them
// before the parent can see the exit); called before the parent opens a device.
void fork_server_settle();

// The abstract socket children connect to (named after the serving process).
sockaddr_un fork_socket_address(socklen_t* len);

// Child side (preload/fork_client.cpp).
bool fork_child_mode();              // this process is a forked child served by an ancestor
unsigned fork_child_cards();         // the cards it sees (the ancestor's)
void fork_child_set_cards(unsigned cards);
uint64_t fork_client_prepare();      // a child forking again: its files, for the grandchild
void fork_client_connect(uint64_t generation);  // in the new child, after fork
void fork_client_lock();             // held across fork by the forking thread
void fork_client_unlock();
int64_t fork_call(const ForkRequest& r);  // -ENODEV once the serving process is gone

}  // namespace gsp
