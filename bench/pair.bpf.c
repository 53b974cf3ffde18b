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
#include <bpf/bpf_endian.h>

#define AF_INET		2
#define AF_INET6	10
#define SOL_SOCKET	1
#define SO_BUSY_POLL	46

extern int bpf_sock_splice_pair(struct sock *peer,
				struct bpf_sock_ops_kern *skops) __ksym __weak;
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

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

/* IPv4 is keyed as v4-mapped IPv6, ports in host order. */
struct pair_key {
	__u32 local_ip[4];
	__u32 remote_ip[4];
	__u32 local_port;
	__u32 remote_port;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 1024);
	__type(key, struct pair_key);
	__type(value, __u64);
} ends SEC(".maps");

static void count(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &i);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static void mirror(const struct pair_key *k, struct pair_key *peer)
{
	__builtin_memcpy(peer->local_ip, k->remote_ip, sizeof(peer->local_ip));
	__builtin_memcpy(peer->remote_ip, k->local_ip, sizeof(peer->remote_ip));
	peer->local_port = k->remote_port;
	peer->remote_port = k->local_port;
}

SEC("sockops")
int pair(struct bpf_sock_ops *skops)
{
	struct bpf_sock_ops_kern *kctx;
	struct pair_key k = {}, peer_k;
	__u32 zero = 0, family, l4, r4, l0, l1, l2, l3, r0, r1, r2, r3;
	struct config *cfg;
	struct sock *peer;
	int val, err;

	if (skops->op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB &&
	    skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg || !cfg->mode)
		return 1;
	/* Every field is loaded before the branch, each pinned in its own
	 * register (barrier_var()): the verifier rejects the context pointer
	 * arithmetic the compiler would otherwise use to pick one or the other.
	 */
	family = skops->family;
	l4 = skops->local_ip4;
	r4 = skops->remote_ip4;
	l0 = skops->local_ip6[0];
	l1 = skops->local_ip6[1];
	l2 = skops->local_ip6[2];
	l3 = skops->local_ip6[3];
	r0 = skops->remote_ip6[0];
	r1 = skops->remote_ip6[1];
	r2 = skops->remote_ip6[2];
	r3 = skops->remote_ip6[3];
	barrier_var(l4);
	barrier_var(r4);
	barrier_var(l3);
	barrier_var(r3);
	if (family == AF_INET) {
		l0 = r0 = l1 = r1 = 0;
		l2 = r2 = bpf_htonl(0xffff);
		l3 = l4;
		r3 = r4;
	} else if (family != AF_INET6) {
		return 1;
	}
	k.local_ip[0] = l0;
	k.local_ip[1] = l1;
	k.local_ip[2] = l2;
	k.local_ip[3] = l3;
	k.remote_ip[0] = r0;
	k.remote_ip[1] = r1;
	k.remote_ip[2] = r2;
	k.remote_ip[3] = r3;
	k.local_port = skops->local_port;
	k.remote_port = bpf_ntohl(skops->remote_port);

	if (cfg->mode == 1 && cfg->busy_poll_us) {
		val = cfg->busy_poll_us;
		bpf_setsockopt(skops, SOL_SOCKET, SO_BUSY_POLL, &val, sizeof(val));
	}
	bpf_sock_hash_update(skops, &ends, &k, BPF_ANY);
	if (cfg->mode != 1 ||
	    skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB ||
	    !bpf_ksym_exists(bpf_sock_splice_pair))
		return 1;

	mirror(&k, &peer_k);
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
	__u32 family = msg->family, l4 = msg->local_ip4, r4 = msg->remote_ip4;
	__u32 l0 = msg->local_ip6[0], l1 = msg->local_ip6[1];
	__u32 l2 = msg->local_ip6[2], l3 = msg->local_ip6[3];
	__u32 r0 = msg->remote_ip6[0], r1 = msg->remote_ip6[1];
	__u32 r2 = msg->remote_ip6[2], r3 = msg->remote_ip6[3];
	struct pair_key peer_k = {};

	/* As in pair(). The peer's key is this socket's 4-tuple mirrored. */
	barrier_var(l4);
	barrier_var(r4);
	barrier_var(l3);
	barrier_var(r3);
	if (family == AF_INET) {
		l0 = r0 = l1 = r1 = 0;
		l2 = r2 = bpf_htonl(0xffff);
		l3 = l4;
		r3 = r4;
	}
	peer_k.remote_ip[0] = l0;
	peer_k.remote_ip[1] = l1;
	peer_k.remote_ip[2] = l2;
	peer_k.remote_ip[3] = l3;
	peer_k.local_ip[0] = r0;
	peer_k.local_ip[1] = r1;
	peer_k.local_ip[2] = r2;
	peer_k.local_ip[3] = r3;
	peer_k.remote_port = msg->local_port;
	peer_k.local_port = bpf_ntohl(msg->remote_port);
	return bpf_msg_redirect_hash(msg, &ends, &peer_k, BPF_F_INGRESS);
}

char _license[] SEC("license") = "GPL";
