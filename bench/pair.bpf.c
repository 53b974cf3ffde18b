// SPDX-License-Identifier: GPL-2.0
/* The benchmark's sock_ops program, loaded once per variant (each load has
 * its own maps) and attached to that variant's cgroup:
 *   mode 0: the program runs, nothing is inserted or paired (its cost on
 *           flows it leaves alone)
 *   mode 1: both ends go into the sockhash, the passive end pairs them
 *           with bpf_sock_splice_pair(); SO_BUSY_POLL if busy_poll_us
 *   mode 2: both ends go into the sockhash, and the sk_msg program
 *           redirects each message to the peer's ingress queue (the
 *           bpf_msg_redirect_hash() approach of service meshes)
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "tcp_splice_key.bpf.h"


struct config {
	__u32 mode;
	__u32 busy_poll_us;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct config);
} config SEC(".maps");

/* Outcomes, for the benchmark's log: [0] paired, [1] refused, [2] no peer */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 1024);
	__type(key, struct tcp_splice_key);
	__type(value, __u64);
} ends SEC(".maps");

static void count(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &i);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("sockops")
int pair(struct bpf_sock_ops *skops)
{
	struct bpf_sock_ops_kern *kctx;
	struct tcp_splice_key k = {}, peer_k;
	struct config *cfg;
	struct sock *peer;
	__u32 zero = 0;
	int val, err;

	if (skops->op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB &&
	    skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg || !cfg->mode || TCP_SPLICE_LOAD_KEY(skops, &k))
		return 1;

	if (cfg->mode == 1 && cfg->busy_poll_us) {
		val = cfg->busy_poll_us;
		bpf_setsockopt(skops, SOL_SOCKET, SO_BUSY_POLL, &val, sizeof(val));
	}
	bpf_sock_hash_update(skops, &ends, &k, BPF_ANY);
	if (cfg->mode != 1 ||
	    skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB ||
	    !bpf_ksym_exists(bpf_sock_splice_pair))
		return 1;

	tcp_splice_mirror(&k, &peer_k);
	peer = bpf_map_lookup_elem(&ends, &peer_k);
	if (!peer) {
		count(2);
		return 1;
	}
	kctx = bpf_cast_to_kern_ctx(skops);
	err = bpf_sock_splice_pair(peer, kctx);
	count(err ? 1 : 0);
	return 1;
}

SEC("sk_msg")
int redirect(struct sk_msg_md *msg)
{
	struct tcp_splice_key k = {}, peer_k;

	if (TCP_SPLICE_LOAD_KEY(msg, &k))
		return SK_PASS;
	tcp_splice_mirror(&k, &peer_k);
	return bpf_msg_redirect_hash(msg, &ends, &peer_k, BPF_F_INGRESS);
}

char _license[] SEC("license") = "GPL";
