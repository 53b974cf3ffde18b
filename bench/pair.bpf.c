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

/* The key of a socket, from context fields its program loaded. */
static __always_inline int make_key(struct pair_key *k, __u32 family,
				    __u32 l4, __u32 r4, __u32 l[4], __u32 r[4],
				    __u32 local_port, __u32 remote_port_be)
{
	if (family == AF_INET) {
		l[0] = r[0] = l[1] = r[1] = 0;
		l[2] = r[2] = bpf_htonl(0xffff);
		l[3] = l4;
		r[3] = r4;
	} else if (family != AF_INET6) {
		return -1;
	}
	__builtin_memcpy(k->local_ip, l, sizeof(k->local_ip));
	__builtin_memcpy(k->remote_ip, r, sizeof(k->remote_ip));
	k->local_port = local_port;
	k->remote_port = bpf_ntohl(remote_port_be);
	return 0;
}

/* The peer's key is this socket's mirrored. */
static __always_inline void mirror(const struct pair_key *k,
				   struct pair_key *peer)
{
	__builtin_memcpy(peer->local_ip, k->remote_ip, sizeof(peer->local_ip));
	__builtin_memcpy(peer->remote_ip, k->local_ip, sizeof(peer->remote_ip));
	peer->local_port = k->remote_port;
	peer->remote_port = k->local_port;
}

/* Every context field is loaded before make_key() branches on the family,
 * the ones the branch replaces pinned in their own registers
 * (barrier_var()): the verifier rejects the context pointer arithmetic the
 * compiler would otherwise use to pick one or the other.
 */
#define LOAD_KEY(ctx, k)						\
({									\
	__u32 l4 = (ctx)->local_ip4, r4 = (ctx)->remote_ip4;		\
	__u32 l[4] = { (ctx)->local_ip6[0], (ctx)->local_ip6[1],	\
		       (ctx)->local_ip6[2], (ctx)->local_ip6[3] };	\
	__u32 r[4] = { (ctx)->remote_ip6[0], (ctx)->remote_ip6[1],	\
		       (ctx)->remote_ip6[2], (ctx)->remote_ip6[3] };	\
									\
	barrier_var(l4);						\
	barrier_var(r4);						\
	barrier_var(l[3]);						\
	barrier_var(r[3]);						\
	make_key(k, (ctx)->family, l4, r4, l, r, (ctx)->local_port,	\
		 (ctx)->remote_port);					\
})

SEC("sockops")
int pair(struct bpf_sock_ops *skops)
{
	struct bpf_sock_ops_kern *kctx;
	struct pair_key k = {}, peer_k;
	struct config *cfg;
	struct sock *peer;
	__u32 zero = 0;
	int val, err;

	if (skops->op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB &&
	    skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg || !cfg->mode || LOAD_KEY(skops, &k))
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
	struct pair_key k = {}, peer_k;

	if (LOAD_KEY(msg, &k))
		return SK_PASS;
	mirror(&k, &peer_k);
	return bpf_msg_redirect_hash(msg, &ends, &peer_k, BPF_F_INGRESS);
}

char _license[] SEC("license") = "GPL";
