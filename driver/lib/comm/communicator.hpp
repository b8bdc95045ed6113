// A communicator: a set of GAUDI cards, one rank per card (one process or thread per card
// owning its compute context), connected by RDMA QPs, that run collectives. User space only:
// it talks to the driver through the thunk (INFO, MEMORY, CB, CS, WAIT_CS, NIC) and never
// includes a model or SystemC header. docs/collectives.md explains the algorithms.
//
//   hlcomm::InProcessGroup group(os, 8);                 // or an MPI bootstrap
//   hlcomm::InProcessBootstrap bs(group, rank);
//   std::unique_ptr<hlcomm::Communicator> comm;
//   int rc = hlcomm::Communicator::create(thunk, fd, bs, cfg, &comm);
//   rc = comm->all_reduce(send_dev, recv_dev, count, hlcomm::DataType::f32);
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/lib/comm/bootstrap.hpp"
#include "driver/lib/comm/partition.hpp"
#include "driver/lib/thunk.hpp"

namespace hlcomm {

struct RankCard;
class CardProgram;

enum class DataType { f32, bf16 };
enum class CollOp { all_reduce, reduce_scatter, all_gather, all_to_all, broadcast };

inline unsigned type_size(DataType t) { return t == DataType::bf16 ? 2 : 4; }
const char* type_name(DataType t);   // "float", "bfloat16" (the NCCL tests' names)
const char* op_name(CollOp op);      // "allreduce", ...

struct CommConfig {
  // Name of the machine (box) the rank runs on: ranks with the same node share an HLS-1
  // box and talk over its internal ports; others go through the scale-out ports.
  std::string node;
  // The IPv4 address configured on a port's network interface (the admin's addressing plan;
  // on Linux, the port netdev's address). Required: connections name both ends' addresses.
  std::function<uint32_t(unsigned port)> port_ipv4;
  uint64_t chunk_bytes = 1 << 20;   // pipeline piece of a share
  unsigned max_pieces = 128;        // per share (bounds the command buffers)
  unsigned reduce_cores = 4;        // TPC cores that share the reductions
  uint8_t priority = 3;             // PFC class of the connections
  uint64_t timeout_us = 5'000'000;  // WAIT_CS of one collective
  unsigned scaleout_ports = 3;      // rails of the ring across boxes (ports 1, 8, 9 in that order)
};

// One rank's view of its peers, learnt at creation.
struct PeerInfo {
  unsigned module = 0;         // slot in its box (order of INFO hw_ip module_id in the box)
  uint64_t node_hash = 0;
  int port = -1;               // my port towards it
  uint32_t conn = 0;           // my connection id on that port
};

class Communicator {
 public:
  // Collective over the bootstrap's ranks: every rank calls it. Needs the compute context
  // (the NIC ioctl refuses anyone else). 0 or -errno; on error *out stays empty.
  static int create(hlthunk::Thunk& t, int fd, Bootstrap& bs, const CommConfig& cfg,
                    std::unique_ptr<Communicator>* out);
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  int rank() const { return rank_; }
  int size() const { return n_; }
  const PeerInfo& peer(unsigned r) const { return peers_[r]; }
  unsigned boxes() const { return boxes_; }
  // The rings across boxes, one per scale-out port used (rail): k = 0 the link to the next
  // box, 1 the link from the previous.
  static constexpr unsigned kMaxRails = 3;
  unsigned rails() const { return rails_; }
  const PeerInfo& ring(unsigned rail, unsigned k) const { return ring_[rail][k]; }

  // Device addresses (HBM or SRAM of this card). Counts in elements; NCCL semantics:
  // all_reduce: count in, count out; reduce_scatter: n x count in, count out;
  // all_gather: count in, n x count out; all_to_all: n x count in and out (count per peer);
  // broadcast: count from root's send to everyone's recv. In place when send == recv
  // (reduce_scatter: recv = send + rank x count; all_gather: send = recv + rank x count).
  // Sum only. 0, or -errno (-ETIMEDOUT, -EIO when a card or link failed underneath).
  // A collective that failed leaves QPs in error and sync objects half counted: from then on
  // the communicator is broken and every later call returns -ECONNABORTED on every rank
  // without submitting anything. Recovery: destroy it, close the device (the driver resets a
  // card left busy), reopen, create a new communicator (docs/collectives.md, failures).
  int all_reduce(uint64_t send, uint64_t recv, uint64_t count, DataType t);
  int reduce_scatter(uint64_t send, uint64_t recv, uint64_t count, DataType t);
  int all_gather(uint64_t send, uint64_t recv, uint64_t count, DataType t);
  int all_to_all(uint64_t send, uint64_t recv, uint64_t count, DataType t);
  int broadcast(uint64_t send, uint64_t recv, uint64_t count, DataType t, unsigned root);
  int run(CollOp op, uint64_t send, uint64_t recv, uint64_t count, DataType t, unsigned root = 0);

  // Collectives run so far; the error that broke the communicator (0 while it works).
  uint64_t collectives() const { return seq_; }
  int failed() const { return failed_; }

  // What every rank learns of every other before each collective.
  struct Buffers {
    uint64_t send = 0, recv = 0, scratch = 0;
    int64_t status = 0;  // a rank that cannot take part says so: then nobody submits
  };

 private:
  Communicator(hlthunk::Thunk& t, int fd, Bootstrap& bs, const CommConfig& cfg);
  int setup();
  int local_setup(RankCard* me);
  int connect_peers(const std::vector<RankCard>& cards, int rc);
  int exchange(uint64_t send, uint64_t recv, std::vector<Buffers>* all);
  int finish(int rc);
  // The algorithms (collectives.cpp): build this rank's CS.
  void build_all_reduce(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  void build_reduce_scatter(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  struct ReducedPieces {
    std::vector<unsigned> engine, sum_no;  // per piece: TPC core, and its sum count after it
  };
  ReducedPieces reduce_pieces(CardProgram& p, unsigned n, unsigned r, Span region, unsigned pieces, uint64_t own_src,
                              uint64_t scratch, uint64_t slot, uint64_t dst, DataType t);
  void build_all_gather(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  void build_all_to_all(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  void build_broadcast(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t, unsigned root);
  void build_hier_all_reduce(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  // The other collectives across boxes (collectives_boxes.cpp, collectives_boxes_a2a.cpp).
  struct BoxLayout {
    unsigned L = 0, l = 0, B = 0, b = 0;  // cards per box, my slot, boxes, my box
    std::vector<unsigned> ranks;           // by box x L + slot
    unsigned at(unsigned box, unsigned slot) const { return ranks[(box % B) * L + slot]; }
  };
  BoxLayout box_layout() const;
  void build_hier_reduce_scatter(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  void build_hier_all_gather(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  void build_hier_all_to_all(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t);
  void build_hier_broadcast(CardProgram& p, const std::vector<Buffers>& b, uint64_t count, DataType t, unsigned root);
  int ensure_scratch(uint64_t bytes);

  hlthunk::Thunk& t_;
  int fd_;
  Bootstrap& bs_;
  CommConfig cfg_;
  int rank_ = 0, n_ = 0;
  std::vector<PeerInfo> peers_;     // in-box links, by rank
  std::vector<unsigned> box_of_;    // box index of every rank (order of first rank)
  unsigned boxes_ = 1;
  unsigned rails_ = 0;
  PeerInfo ring_[kMaxRails][2];     // across boxes, per rail: [0] to the next box, [1] from the previous
  int ring_rank_[2] = {-1, -1};
  // Host memory mapped to the device for internal-queue CBs and TPC descriptors.
  uint8_t* host_ = nullptr;
  uint64_t host_bytes_ = 0, host_dev_ = 0;
  uint64_t ext_cb_ = 0;  // CB handle of the external (completion) job
  void* ext_cpu_ = nullptr;
  uint64_t scratch_ = 0, scratch_bytes_ = 0;
  uint64_t seq_ = 0;
  int failed_ = 0;
  friend class CardProgram;
};

}  // namespace hlcomm
