// libnftnl and libmnl, for the service proxy's nftables backend (SkiffProxy/NFTables):
// it builds one netlink batch per sync and sends it over a netfilter socket.
#include <libmnl/libmnl.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/batch.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

// Constants of <linux/netfilter.h>, whose <linux/in.h> clashes with glibc's <netinet/in.h>
// in Swift's module map.
enum {
    SKIFF_NFPROTO_IPV4 = 2,
    SKIFF_NFPROTO_IPV6 = 10,
    SKIFF_NF_DROP = 0,
    SKIFF_NF_ACCEPT = 1,
    // <linux/netfilter/nf_conntrack_common.h>: the connection's destination was NATed.
    SKIFF_IPS_DST_NAT = 0x20,
    // <linux/netfilter/nf_nat.h>: pick the source port at random, not the next free one.
    SKIFF_NAT_RANGE_PROTO_RANDOM_FULLY = 0x10,
    // <sched.h> behind _GNU_SOURCE.
    SKIFF_CLONE_NEWNET = 0x40000000,
};

// setns(2) sits behind _GNU_SOURCE in <sched.h>, which Swift's Glibc module does not
// define; the proxy opens its netfilter socket inside a given network namespace.
extern int setns(int fd, int nstype);
