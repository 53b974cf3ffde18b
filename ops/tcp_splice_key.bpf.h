/* SPDX-License-Identifier: GPL-2.0 */
/* The sockhash key of a TCP socket, for sock_ops and sk_msg programs that
 * pair the two ends of a connection: each end is stored under its own
 * 4-tuple, and finds its peer under the mirrored one. IPv4 is keyed as
 * v4-mapped IPv6 (an AF_INET6 socket talking IPv4 sees it so), ports in
 * host order. Shared by ops/tcp_splice_pair.bpf.c and bench/pair.bpf.c,
 * with the kfuncs and constants both use.
 */
#ifndef TCP_SPLICE_KEY_BPF_H
#define TCP_SPLICE_KEY_BPF_H

#include <bpf/bpf_endian.h>

#ifndef AF_INET
#define AF_INET		2
#endif
#ifndef AF_INET6
#define AF_INET6	10
#endif
#define SOL_SOCKET	1
#define SO_BUSY_POLL	46

/* __weak: programs load, and pair nothing, on kernels without it. */
extern int bpf_sock_splice_pair(struct sock *peer,
				struct bpf_sock_ops_kern *skops) __ksym __weak;
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

/* @netns: 0, or the network namespace's cookie for keys that are unique
 * in their namespace only (loopback addresses): a program that sets it
 * sets it on both ends.
 */
struct tcp_splice_key {
	__u32 local_ip[4];
	__u32 remote_ip[4];
	__u32 local_port;
	__u32 remote_port;
	__u64 netns;
};

static __always_inline int tcp_splice_make_key(struct tcp_splice_key *k,
					       __u32 family, __u32 l4, __u32 r4,
					       __u32 l[4], __u32 r[4],
					       __u32 local_port,
					       __u32 remote_port_be)
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

/* The peer's key is this socket's, mirrored. */
static __always_inline void tcp_splice_mirror(const struct tcp_splice_key *k,
					      struct tcp_splice_key *peer)
{
	__builtin_memcpy(peer->local_ip, k->remote_ip, sizeof(peer->local_ip));
	__builtin_memcpy(peer->remote_ip, k->local_ip, sizeof(peer->remote_ip));
	peer->local_port = k->remote_port;
	peer->remote_port = k->local_port;
	peer->netns = k->netns;
}

/* Every context field is loaded before tcp_splice_make_key() branches on
 * the family, the ones the branch replaces pinned in their own registers
 * (barrier_var()): the verifier rejects the context pointer arithmetic
 * the compiler would otherwise use to pick one or the other. @ctx: a
 * struct bpf_sock_ops or struct sk_msg_md.
 */
#define TCP_SPLICE_LOAD_KEY(ctx, k)					\
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
	tcp_splice_make_key(k, (ctx)->family, l4, r4, l, r,		\
			    (ctx)->local_port, (ctx)->remote_port);	\
})

#endif /* TCP_SPLICE_KEY_BPF_H */
