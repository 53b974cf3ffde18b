// SPDX-License-Identifier: GPL-2.0
/* tcp_splice_pair: the reference sock_ops program of the TCP splice
 * (Documentation/networking/tcp_splice.rst). ops/splicectl loads it, fills
 * its maps and attaches it to cgroups; it can be used as is, or as the
 * start of your own.
 *
 * When a TCP connection of an attached cgroup is established, each end
 * that is in scope goes into the sockhash tcp_splice_ends under its own
 * 4-tuple; the passive end, established last, finds the active end under
 * the mirrored one (by default: see TCP_SPLICE_BY_CLIENT below) and pairs
 * the two with bpf_sock_splice_pair(). The kernel checks that they are the
 * two ends of one connection. An end that found no peer, or whose pairing
 * was refused, leaves the sockhash again, with its peer: a socket in a
 * sockhash pays for sockmap's proto.
 *
 * In scope (all maps pinned by name in /sys/fs/bpf, so that a reload keeps
 * the configuration and the sockets already paired):
 *  - its remote address is in tcp_splice_prefixes (LPM trie, IPv4 as
 *    v4-mapped IPv6): list the addresses a peer on this host can have
 *    (loopback, this host's and its containers' addresses), so that no
 *    socket whose peer is on another host enters the sockhash;
 *  - with TCP_SPLICE_SCOPE_PORTS, its local or remote port is in
 *    tcp_splice_ports;
 *  - with TCP_SPLICE_SCOPE_NETNS, its network namespace's cookie is in
 *    tcp_splice_netns.
 * Loopback keys carry the namespace cookie: 127.0.0.1 is a different host
 * in every namespace.
 *
 * With TCP_SPLICE_BY_CLIENT (the sidecar case: a REDIRECT or DNAT rule
 * sends connections to a local proxy, so the two ends disagree on the
 * server's address and port), the active end goes in under its local
 * address and port with the remote ones zeroed, and the passive end finds
 * it under its own remote address and port: the client's, which both ends
 * see. The kernel still checks that they are one connection (the client's
 * address and port, the initial sequence numbers); the server's side may
 * differ. The namespace cookie goes in iff the client's address is
 * loopback. The active end's remote address is the service's, which must
 * be in tcp_splice_prefixes for it to be in scope.
 *
 * Outcomes are counted per CPU in tcp_splice_stats (enum tcp_splice_stat);
 * why the kernel refused a pairing is in the TcpExt counters (nstat).
 * On a kernel without bpf_sock_splice_pair() the program loads, counts
 * TCP_SPLICE_STAT_NO_KFUNC and leaves every socket alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "tcp_splice_key.bpf.h"

#define EEXIST		17

#define TCP_SPLICE_SCOPE_PORTS	1
#define TCP_SPLICE_SCOPE_NETNS	2
/* find the active end by the client's address and port alone */
#define TCP_SPLICE_BY_CLIENT	4

struct tcp_splice_cfg {
	__u32 scope;		/* TCP_SPLICE_SCOPE_*, TCP_SPLICE_BY_CLIENT */
	__u32 busy_poll_us;	/* SO_BUSY_POLL of the ends, 0: none */
};

enum tcp_splice_stat {
	TCP_SPLICE_STAT_OUT_OF_SCOPE,	/* left alone */
	TCP_SPLICE_STAT_INSERTED,	/* an end went into the sockhash */
	TCP_SPLICE_STAT_INSERT_FAILED,	/* bpf_sock_hash_update() failed */
	TCP_SPLICE_STAT_PAIRED,
	TCP_SPLICE_STAT_REFUSED,	/* the kernel refused: see TcpExt */
	TCP_SPLICE_STAT_NO_PEER,	/* the passive end found no peer */
	TCP_SPLICE_STAT_NO_KFUNC,	/* this kernel has no splice */
	TCP_SPLICE_STAT_NR,
};

struct tcp_splice_prefix {
	__u32 prefixlen;
	__u32 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcp_splice_cfg);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tcp_splice_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct tcp_splice_prefix);
	__type(value, __u8);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tcp_splice_prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u8);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tcp_splice_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u8);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tcp_splice_netns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TCP_SPLICE_STAT_NR);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tcp_splice_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 65536);
	__type(key, struct tcp_splice_key);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tcp_splice_ends SEC(".maps");

static void count(enum tcp_splice_stat i)
{
	__u32 key = i;
	__u64 *v = bpf_map_lookup_elem(&tcp_splice_stats, &key);

	if (v)
		*v += 1;
}

static bool is_loopback(const __u32 ip[4])
{
	/* ::ffff:127.0.0.0/104 or ::1 */
	if (!ip[0] && !ip[1] && ip[2] == bpf_htonl(0xffff))
		return (bpf_ntohl(ip[3]) >> 24) == 127;
	return !ip[0] && !ip[1] && !ip[2] && ip[3] == bpf_htonl(1);
}

static bool in_scope(struct bpf_sock_ops *skops,
		     const struct tcp_splice_cfg *cfg,
		     const struct tcp_splice_key *k)
{
	struct tcp_splice_prefix p = { .prefixlen = 128 };
	__u16 lport = k->local_port, rport = k->remote_port;
	__u64 netns;

	__builtin_memcpy(p.addr, k->remote_ip, sizeof(p.addr));
	if (!bpf_map_lookup_elem(&tcp_splice_prefixes, &p))
		return false;
	if (cfg->scope & TCP_SPLICE_SCOPE_PORTS &&
	    !bpf_map_lookup_elem(&tcp_splice_ports, &lport) &&
	    !bpf_map_lookup_elem(&tcp_splice_ports, &rport))
		return false;
	if (cfg->scope & TCP_SPLICE_SCOPE_NETNS) {
		netns = bpf_get_netns_cookie(skops);
		if (!bpf_map_lookup_elem(&tcp_splice_netns, &netns))
			return false;
	}
	return true;
}

SEC("sockops")
int tcp_splice_pair(struct bpf_sock_ops *skops)
{
	struct tcp_splice_key k = {}, peer_k;
	struct bpf_sock_ops_kern *kctx;
	struct tcp_splice_cfg *cfg;
	bool passive, by_client;
	struct sock *peer;
	__u32 zero = 0;
	int val, err;

	passive = skops->op == BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB;
	if (skops->op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB && !passive)
		return 1;
	if (!bpf_ksym_exists(bpf_sock_splice_pair)) {
		count(TCP_SPLICE_STAT_NO_KFUNC);
		return 1;
	}
	cfg = bpf_map_lookup_elem(&tcp_splice_cfg, &zero);
	if (!cfg || TCP_SPLICE_LOAD_KEY(skops, &k))
		return 1;
	if (!in_scope(skops, cfg, &k)) {
		count(TCP_SPLICE_STAT_OUT_OF_SCOPE);
		return 1;
	}
	/* By client: the client's address is the active end's local one. */
	by_client = cfg->scope & TCP_SPLICE_BY_CLIENT;
	if (is_loopback(by_client && !passive ? k.local_ip : k.remote_ip))
		k.netns = bpf_get_netns_cookie(skops);
	if (by_client && !passive) {
		__builtin_memset(k.remote_ip, 0, sizeof(k.remote_ip));
		k.remote_port = 0;
	}

	/* BPF_NOEXIST: never push out another connection's end (a
	 * disconnected socket stays in the sockhash until it is closed).
	 */
	if (bpf_sock_hash_update(skops, &tcp_splice_ends, &k, BPF_NOEXIST)) {
		count(TCP_SPLICE_STAT_INSERT_FAILED);
		return 1;
	}
	count(TCP_SPLICE_STAT_INSERTED);
	if (cfg->busy_poll_us) {
		val = cfg->busy_poll_us;
		bpf_setsockopt(skops, SOL_SOCKET, SO_BUSY_POLL, &val,
			       sizeof(val));
	}
	if (!passive)
		return 1;

	tcp_splice_mirror(&k, &peer_k);
	if (by_client) {
		__builtin_memset(peer_k.remote_ip, 0, sizeof(peer_k.remote_ip));
		peer_k.remote_port = 0;
	}
	peer = bpf_map_lookup_elem(&tcp_splice_ends, &peer_k);
	if (!peer) {
		count(TCP_SPLICE_STAT_NO_PEER);
		bpf_map_delete_elem(&tcp_splice_ends, &k);
		return 1;
	}
	kctx = bpf_cast_to_kern_ctx(skops);
	err = bpf_sock_splice_pair(peer, kctx);
	if (err) {
		count(TCP_SPLICE_STAT_REFUSED);
		bpf_map_delete_elem(&tcp_splice_ends, &k);
		/* -EEXIST: the peer is paired already, through another map
		 * and program; leave it where it is.
		 */
		if (err != -EEXIST)
			bpf_map_delete_elem(&tcp_splice_ends, &peer_k);
		return 1;
	}
	count(TCP_SPLICE_STAT_PAIRED);
	return 1;
}

char _license[] SEC("license") = "GPL";
