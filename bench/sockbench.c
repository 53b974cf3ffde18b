// SPDX-License-Identifier: GPL-2.0
/* sockbench: request/response and stream throughput over TCP (IPv4, IPv6)
 * and AF_UNIX stream sockets with one code path, so that the splice, TCP
 * and AF_UNIX are measured by the same loop. sockperf has no AF_UNIX and
 * iperf3 no request/response; this is the small tool for the rest.
 *
 *   sockbench serve FAMILY ADDR PORT [CPU]
 *   sockbench run FAMILY ADDR PORT rr|stream SIZE SECONDS [nodelay] [verify] [cpu=N]
 *   sockbench hold FAMILY ADDR PORT N SIZE
 *   sockbench self FAMILY ADDR PORT SIZE SECONDS [cpu=N]
 *   sockbench copy
 *   sockbench smc-ueid EID
 *
 * FAMILY is tcp4, tcp6, unix (ADDR is then an abstract socket name), or
 * smc4/smc6: AF_SMC sockets, whose connections must run SMC-D (over the
 * dibs loopback device here), else "run" fails: a fallback to TCP is not
 * SMC's figure.
 * "serve" forks a handler per connection. "run" prints one line:
 *   rr <transactions/s>   or   stream <Mbit/s>
 * measured at the client; a stream's figure counts what the server read.
 * "verify" makes the server check every byte against a position-dependent
 * pattern (and the client every reply): a mismatch is an error (exit 2).
 * "hold" opens N connections to itself, makes two round trips of SIZE
 * bytes on each (the first lets the splice arm both directions), reads
 * everything, and prints "hold <bytes> <idle bytes>": what the process's
 * memory cgroup (cgroup v2, memory controller on) grew by, per
 * connection, both ends, then and after 3 s idle.
 * "self" connects to itself and, in one thread, writes SIZE bytes on one
 * end and reads them on the other, again and again: the cost of the send
 * and receive paths without a wake-up or a context switch (both ends in
 * its cgroup, so paired too). It prints "self <write+read pairs/s>".
 * "copy" prints "movsb,<ns/B>" and "movsq,<ns/B>" (CSV lines): what copying
 * 4 KB costs with rep movsb and with rep movsq (x86-64), the instructions
 * the kernel copies user data with when the CPU has FSRM and when it has
 * neither FSRM nor ERMS. Under TCG the first runs a byte per iteration:
 * part of the calibration.
 * "smc-ueid" adds a user-defined Enterprise ID to SMC's table, as smc-tools'
 * "smcd ueid add" does (not in Debian): SMC-Dv2, the only version the
 * loopback device speaks, needs one on machines without a system EID
 * (every one but s390), else both ends decline (SMC_CLC_DECL_NOUEID).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/smc.h>
#include <linux/smc_diag.h>
#include <linux/sock_diag.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAGIC		0x736b6265u
#define BUF_SIZE	(1 << 20)

enum { RR, STREAM };

/* net/smc/smc.h: the protocol argument of socket(AF_SMC, ...) */
#define SMCPROTO_SMC	0
#define SMCPROTO_SMC6	1

struct hdr {
	uint32_t magic, workload, size, nodelay, verify;
};

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static socklen_t make_addr(const char *fam, const char *addr, int port,
			   struct sockaddr_storage *ss)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai;
	char service[16];
	socklen_t len;

	memset(ss, 0, sizeof(*ss));
	if (!strcmp(fam, "tcp4") || !strcmp(fam, "tcp6") ||
	    !strcmp(fam, "smc4") || !strcmp(fam, "smc6")) {
		hints.ai_family = fam[3] == '4' ? AF_INET : AF_INET6;
		snprintf(service, sizeof(service), "%d", port);
		if (getaddrinfo(addr, service, &hints, &ai)) {
			fprintf(stderr, "bad %s address %s\n", fam, addr);
			exit(1);
		}
		len = ai->ai_addrlen;
		memcpy(ss, ai->ai_addr, len);
		freeaddrinfo(ai);
		return len;
	}
	if (!strcmp(fam, "unix")) {
		struct sockaddr_un *sun = (void *)ss;
		size_t n = strlen(addr);

		if (n + 1 > sizeof(sun->sun_path))
			die("unix name");
		sun->sun_family = AF_UNIX;
		/* Abstract name: nothing to clean up in the filesystem. */
		memcpy(sun->sun_path + 1, addr, n);
		return offsetof(struct sockaddr_un, sun_path) + 1 + n;
	}
	fprintf(stderr, "unknown family %s\n", fam);
	exit(1);
}

/* A stream socket of @fam, for an address from make_addr(). */
static int open_socket(const char *fam, int family)
{
	int fd;

	if (!strncmp(fam, "smc", 3))
		fd = socket(AF_SMC, SOCK_STREAM, family == AF_INET6 ?
			    SMCPROTO_SMC6 : SMCPROTO_SMC);
	else
		fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	return fd;
}

/* The mode of the AF_SMC connection whose local port is @port, as
 * smc_diag reports it (SMC_DIAG_MODE_*), or -1 if it finds none; in
 * *@why, the fallback's reason (SMC_CLC_DECL_*, net/smc/smc_clc.h).
 */
static int smc_mode(uint16_t port, struct smc_diag_fallback *why)
{
	struct {
		struct nlmsghdr nlh;
		struct smc_diag_req req;
	} rq = {
		.nlh = { .nlmsg_len = sizeof(rq),
			 .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.req = { .diag_family = AF_SMC,
			 .diag_ext = 1 << (SMC_DIAG_FALLBACK - 1) },
	};
	static char buf[32768];
	int fd, mode = -1, done = 0;
	struct nlmsghdr *h;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
	if (fd < 0 || send(fd, &rq, sizeof(rq), 0) != sizeof(rq))
		die("smc_diag");
	while (!done && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		for (h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct smc_diag_msg *m = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (m->id.idiag_sport != port)
				continue;
			mode = m->diag_mode;
			for (struct nlattr *a = (void *)(m + 1);
			     (char *)a + sizeof(*a) <= (char *)h + h->nlmsg_len &&
			     a->nla_len >= sizeof(*a);
			     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
				if (a->nla_type == SMC_DIAG_FALLBACK &&
				    a->nla_len >= NLA_HDRLEN + sizeof(*why))
					memcpy(why, (char *)a + NLA_HDRLEN,
					       sizeof(*why));
		}
	}
	close(fd);
	return mode;
}

/* Send @req (its length set) on @fd, a generic netlink socket, and read the
 * answer into @buf; fail on an error answer other than @ok.
 */
static void genl_talk(int fd, struct nlmsghdr *req, char *buf, size_t size,
		      int ok)
{
	struct nlmsghdr *h = (void *)buf;
	ssize_t n;
	int err;

	if (send(fd, req, req->nlmsg_len, 0) != (ssize_t)req->nlmsg_len)
		die("genetlink send");
	n = recv(fd, buf, size, 0);
	if (n < 0 || !NLMSG_OK(h, n))
		die("genetlink recv");
	if (h->nlmsg_type != NLMSG_ERROR)
		return;
	err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	if (err && err != ok) {
		errno = err;
		die("genetlink");
	}
}

/* Append attribute @type with @len bytes of @data to @h. */
static void nla_add(struct nlmsghdr *h, int type, const void *data, int len)
{
	struct nlattr *a = (void *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static int smc_ueid(const char *eid)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char attrs[128];
	} rq = {};
	char buf[4096], ueid[SMC_MAX_EID_LEN + 1];
	struct nlattr *a;
	int fd, family = 0;
	size_t n = strlen(eid);

	if (!n || n > SMC_MAX_EID_LEN)
		die("smc-ueid: 1 to 32 characters");
	/* 32 characters, blank-padded (smc_clc_ueid_valid()) */
	memset(ueid, ' ', SMC_MAX_EID_LEN);
	memcpy(ueid, eid, n);
	ueid[SMC_MAX_EID_LEN] = 0;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0)
		die("genetlink socket");
	rq.h.nlmsg_type = GENL_ID_CTRL;
	rq.h.nlmsg_flags = NLM_F_REQUEST;
	rq.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	rq.g.cmd = CTRL_CMD_GETFAMILY;
	rq.g.version = 1;
	nla_add(&rq.h, CTRL_ATTR_FAMILY_NAME, SMC_GENL_FAMILY_NAME,
		sizeof(SMC_GENL_FAMILY_NAME));
	genl_talk(fd, &rq.h, buf, sizeof(buf), 0);
	n = ((struct nlmsghdr *)buf)->nlmsg_len;
	for (a = (void *)(buf + NLMSG_LENGTH(GENL_HDRLEN));
	     (char *)a + NLA_HDRLEN <= buf + n && a->nla_len >= NLA_HDRLEN;
	     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)((char *)a + NLA_HDRLEN);
	if (!family)
		die("no SMC generic netlink family");

	memset(&rq, 0, sizeof(rq));
	rq.h.nlmsg_type = family;
	rq.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	rq.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	rq.g.cmd = SMC_NETLINK_ADD_UEID;
	rq.g.version = 1;
	nla_add(&rq.h, SMC_NLA_EID_TABLE_ENTRY, ueid, sizeof(ueid));
	/* already in the table: fine */
	genl_talk(fd, &rq.h, buf, sizeof(buf), EEXIST);
	close(fd);
	return 0;
}

/* Fail unless @fd, a connected AF_SMC socket, runs SMC-D. */
static void smc_check(int fd)
{
	struct sockaddr_storage ss;
	struct smc_diag_fallback why = {};
	socklen_t len = sizeof(ss);
	int mode;

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname");
	/* sin_port and sin6_port are at the same offset */
	mode = smc_mode(((struct sockaddr_in *)&ss)->sin_port, &why);
	if (mode != SMC_DIAG_MODE_SMCD) {
		fprintf(stderr, "smc: the connection runs %s, not SMC-D "
			"(reason %#x, peer's %#x)\n",
			mode == SMC_DIAG_MODE_FALLBACK_TCP ? "TCP (fallback)" :
			mode == SMC_DIAG_MODE_SMCR ? "SMC-R" : "unknown",
			why.reason, why.peer_diagnosis);
		exit(3);
	}
}

static int read_full(int fd, char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, buf + done, len - done);
		/* EAGAIN on a blocking socket: tcp_bpf_recvmsg() (sockmap
		 * redirect) returns it when a wake-up (the ACK of our FIN)
		 * finds its queues empty. Read again.
		 */
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		done += n;
	}
	return 1;
}

static int write_full(int fd, const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += n;
	}
	return 0;
}

/* Byte @pos of a verified stream: position-dependent, so a lost, repeated
 * or reordered chunk shows.
 */
static inline char pattern(uint64_t pos)
{
	return (char)(pos ^ (pos >> 8) ^ (pos >> 16));
}

static void fill(char *buf, size_t len, uint64_t pos)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(pos + i);
}

static int check(const char *buf, size_t len, uint64_t pos)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern(pos + i)) {
			fprintf(stderr, "byte %llu: got %#x, want %#x\n",
				(unsigned long long)(pos + i),
				(unsigned char)buf[i],
				(unsigned char)pattern(pos + i));
			return -1;
		}
	return 0;
}

static void set_nodelay(int fd, const char *fam, int on)
{
	/* SMC passes TCP_NODELAY to its TCP socket and honours it itself */
	if (strcmp(fam, "unix") &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)))
		die("TCP_NODELAY");
}

static void __attribute__((noreturn)) handle(int fd, const char *fam)
{
	static char buf[BUF_SIZE];
	uint64_t pos = 0;
	struct hdr h;
	ssize_t n;

	if (read_full(fd, (char *)&h, sizeof(h)) != 1 || h.magic != MAGIC ||
	    h.size == 0 || h.size > BUF_SIZE)
		exit(1);
	set_nodelay(fd, fam, h.nodelay);
	if (h.workload == RR) {
		/* Echo each request; the client checks the replies. */
		while (read_full(fd, buf, h.size) == 1)
			if (write_full(fd, buf, h.size))
				exit(1);
		exit(0);
	}
	for (;;) {
		n = read(fd, buf, BUF_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0)
			break;
		if (h.verify && check(buf, n, pos))
			exit(2);
		pos += n;
	}
	if (write_full(fd, (char *)&pos, sizeof(pos)))
		exit(1);
	exit(0);
}

/* A listening socket bound to @ss, with room for @backlog connections. */
static int listen_on(const char *fam, const struct sockaddr_storage *ss,
		     socklen_t len, int backlog)
{
	int lfd, one = 1;

	lfd = open_socket(fam, ss->ss_family);
	if (ss->ss_family != AF_UNIX &&
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("SO_REUSEADDR");
	if (bind(lfd, (const struct sockaddr *)ss, len) || listen(lfd, backlog))
		die("bind/listen");
	return lfd;
}

static void __attribute__((noreturn)) serve(const char *fam, const char *addr, int port, int cpu)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(fam, addr, port, &ss);
	int lfd, fd;

	pin(cpu);
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	lfd = listen_on(fam, &ss, len, 64);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		switch (fork()) {
		case -1:
			die("fork");
		case 0:
			close(lfd);
			handle(fd, fam);
		}
		close(fd);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(const char *fam, const char *addr, int port, int workload,
	       uint32_t size, double secs, int nodelay, int verify)
{
	static char buf[BUF_SIZE], reply[BUF_SIZE];
	struct hdr h = { MAGIC, workload, size, nodelay, verify };
	struct sockaddr_storage ss;
	socklen_t len = make_addr(fam, addr, port, &ss);
	uint64_t count = 0, pos = 0, got;
	double t0, end;
	int fd;

	if (size == 0 || size > BUF_SIZE)
		die("size");
	fd = open_socket(fam, ss.ss_family);
	if (connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	if (!strncmp(fam, "smc", 3))
		smc_check(fd);
	set_nodelay(fd, fam, nodelay);
	if (write_full(fd, (char *)&h, sizeof(h)))
		die("write header");
	fill(buf, size, 0);
	t0 = now();
	end = t0 + secs;
	if (workload == RR) {
		do {
			/* Checking the clock every 16 transactions keeps
			 * it out of the loop's cost.
			 */
			for (int i = 0; i < 16; i++) {
				if (verify)
					fill(buf, size, pos);
				if (write_full(fd, buf, size))
					die("write");
				if (read_full(fd, reply, size) != 1)
					die("read");
				if (verify && check(reply, size, pos))
					exit(2);
				pos += size;
				count++;
			}
		} while (now() < end);
		printf("rr %.1f\n", count / (now() - t0));
		return 0;
	}
	do {
		for (int i = 0; i < 16; i++) {
			if (verify)
				fill(buf, size, pos);
			if (write_full(fd, buf, size))
				die("write");
			pos += size;
		}
	} while (now() < end);
	if (shutdown(fd, SHUT_WR))
		die("shutdown");
	if (read_full(fd, (char *)&got, sizeof(got)) != 1)
		die("read count");
	if (got != pos) {
		fprintf(stderr, "server read %llu bytes of %llu\n",
			(unsigned long long)got, (unsigned long long)pos);
		exit(2);
	}
	printf("stream %.1f\n", got * 8 / (now() - t0) / 1e6);
	return 0;
}

/* memory.current of the calling process's cgroup (v2), in bytes. */
static long long memcg_current(void)
{
	char line[512] = "", path[600];
	long long v = -1;
	FILE *f;

	f = fopen("/proc/self/cgroup", "r");
	if (!f)
		die("/proc/self/cgroup");
	while (fgets(line, sizeof(line), f) && strncmp(line, "0::", 3))
		;
	if (strncmp(line, "0::", 3))
		die("/proc/self/cgroup: no cgroup v2");
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.current",
		 line + 3);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lld", &v) != 1)
		die(path);
	fclose(f);
	return v;
}

static int hold(const char *fam, const char *addr, int port, int n,
		uint32_t size)
{
	struct rlimit rl = { 2 * n + 64, 2 * n + 64 };
	struct sockaddr_storage ss;
	socklen_t len = make_addr(fam, addr, port, &ss);
	int lfd, *cli, *srv;
	long long before, now;
	char *buf;

	if (size == 0 || size > BUF_SIZE || n <= 0)
		die("hold: size or count");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("RLIMIT_NOFILE");
	cli = calloc(n, sizeof(*cli));
	srv = calloc(n, sizeof(*srv));
	buf = malloc(size);
	if (!cli || !srv || !buf)
		die("malloc");
	/* Touch what we use, so that only the sockets grow after this. */
	memset(cli, 0, n * sizeof(*cli));
	memset(srv, 0, n * sizeof(*srv));
	fill(buf, size, 0);
	lfd = listen_on(fam, &ss, len, n);
	before = memcg_current();
	for (int i = 0; i < n; i++) {
		cli[i] = open_socket(fam, ss.ss_family);
		if (connect(cli[i], (struct sockaddr *)&ss, len))
			die("connect");
		srv[i] = accept(lfd, NULL, NULL);
		if (srv[i] < 0)
			die("accept");
	}
	for (int rt = 0; rt < 2; rt++)
		for (int i = 0; i < n; i++) {
			if (write_full(cli[i], buf, size) ||
			    read_full(srv[i], buf, size) != 1 ||
			    write_full(srv[i], buf, size) ||
			    read_full(cli[i], buf, size) != 1 ||
			    check(buf, size, 0))
				die("round trip");
		}
	now = memcg_current();
	/* Idle: the splice gives back its spare ring pages after a second
	 * or two without a send.
	 */
	sleep(3);
	printf("hold %.0f %.0f\n", (double)(now - before) / n,
	       (double)(memcg_current() - before) / n);
	return 0;
}

/* A connected pair of sockets of @fam, through a listener on ADDR:PORT,
 * each direction used once (so that a splice is armed both ways).
 */
static void connect_self(const char *fam, const char *addr, int port,
			 int *cli, int *srv)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(fam, addr, port, &ss);
	int lfd = listen_on(fam, &ss, len, 1);
	char c = 0;

	*cli = open_socket(fam, ss.ss_family);
	if (connect(*cli, (struct sockaddr *)&ss, len))
		die("connect");
	*srv = accept(lfd, NULL, NULL);
	if (*srv < 0)
		die("accept");
	close(lfd);
	if (!strncmp(fam, "smc", 3))
		smc_check(*cli);
	set_nodelay(*cli, fam, 1);
	set_nodelay(*srv, fam, 1);
	for (int rt = 0; rt < 2; rt++)
		if (write_full(*cli, &c, 1) || read_full(*srv, &c, 1) != 1 ||
		    write_full(*srv, &c, 1) || read_full(*cli, &c, 1) != 1)
			die("round trip");
}

static int self(const char *fam, const char *addr, int port, uint32_t size,
		double secs)
{
	static char buf[BUF_SIZE], rbuf[BUF_SIZE];
	uint64_t count = 0;
	double t0, end;
	int cli, srv;

	if (size == 0 || size > BUF_SIZE)
		die("size");
	connect_self(fam, addr, port, &cli, &srv);
	fill(buf, size, 0);
	t0 = now();
	end = t0 + secs;
	do {
		for (int i = 0; i < 16; i++, count++) {
			size_t sent = 0, got = 0;
			ssize_t n;

			/* A message larger than what the connection buffers
			 * (SMC's at 64 KB) would block a plain write: send
			 * what fits, read what was sent, until all passed.
			 */
			while (got < size) {
				if (sent < size) {
					n = send(cli, buf + sent, size - sent,
						 MSG_DONTWAIT);
					if (n < 0 && errno != EAGAIN &&
					    errno != EINTR)
						die("self: send");
					if (n > 0)
						sent += n;
				}
				if (got == sent) {
					/* Nothing sent, nothing to read: wait
					 * for room rather than spin (SMC frees
					 * its send buffer from a worker).
					 */
					struct pollfd p = { cli, POLLOUT, 0 };

					if (poll(&p, 1, 10000) <= 0)
						die("self: no room for 10 s");
					continue;
				}
				n = read(srv, rbuf, sent - got);
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0)
					die("self: read");
				got += n;
			}
		}
	} while (now() < end);
	printf("self %.1f\n", count / (now() - t0));
	return 0;
}

#ifdef __x86_64__
static void movsb(void *d, const void *s, size_t n)
{
	asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void movsq(void *d, const void *s, size_t n)
{
	n /= 8;
	asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

/* ns per byte of 4 KB copies by @fn, into 64 pages in turn. */
static double copy_cost(void (*fn)(void *, const void *, size_t))
{
	static char src[4096] __attribute__((aligned(4096)));
	static char dst[64][4096] __attribute__((aligned(4096)));
	const int n = 20000;
	double t0;

	memset(src, 1, sizeof(src));
	memset(dst, 0, sizeof(dst));
	t0 = now();
	for (int i = 0; i < n; i++)
		fn(dst[i % 64], src, sizeof(src));
	return (now() - t0) * 1e9 / n / sizeof(src);
}

static int copy(void)
{
	double b, q;

	copy_cost(movsb);	/* warm-up: page faults, caches */
	b = copy_cost(movsb);
	q = copy_cost(movsq);
	printf("movsb,%.3f\nmovsq,%.3f\n", b, q);
	return 0;
}
#else
static int copy(void)
{
	fprintf(stderr, "copy: x86-64 only\n");
	return 1;
}
#endif

int main(int argc, char **argv)
{
	int nodelay = 0, verify = 0, cpu = -1;

	if (argc >= 5 && !strcmp(argv[1], "serve"))
		serve(argv[2], argv[3], atoi(argv[4]),
			     argc > 5 ? atoi(argv[5]) : -1);
	if (argc >= 8 && !strcmp(argv[1], "run")) {
		for (int i = 8; i < argc; i++) {
			if (!strcmp(argv[i], "nodelay"))
				nodelay = 1;
			else if (!strcmp(argv[i], "verify"))
				verify = 1;
			else if (!strncmp(argv[i], "cpu=", 4))
				cpu = atoi(argv[i] + 4);
		}
		pin(cpu);
		return run(argv[2], argv[3], atoi(argv[4]),
			   strcmp(argv[5], "rr") ? STREAM : RR,
			   atoi(argv[6]), atof(argv[7]), nodelay, verify);
	}
	if ((argc == 7 || argc == 8) && !strcmp(argv[1], "self")) {
		if (argc == 8 && !strncmp(argv[7], "cpu=", 4))
			pin(atoi(argv[7] + 4));
		return self(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]),
			    atof(argv[6]));
	}
	if (argc == 2 && !strcmp(argv[1], "copy"))
		return copy();
	if (argc == 3 && !strcmp(argv[1], "smc-ueid"))
		return smc_ueid(argv[2]);
	if (argc == 7 && !strcmp(argv[1], "hold"))
		return hold(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]),
			    atoi(argv[6]));
	fprintf(stderr,
		"usage: sockbench serve FAMILY ADDR PORT [CPU]\n"
		"       sockbench run FAMILY ADDR PORT rr|stream SIZE SECONDS [nodelay] [verify] [cpu=N]\n"
		"       sockbench hold FAMILY ADDR PORT N SIZE\n"
		"       sockbench self FAMILY ADDR PORT SIZE SECONDS [cpu=N]\n"
		"       sockbench copy\n"
		"       sockbench smc-ueid EID\n");
	return 1;
}
