package dev.cacheaside.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster on loopback: masters with the 16384 slots split between them, each with an
 * optional replica, assembled with CLUSTER ADDSLOTS, MEET and REPLICATE.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;

    private final List<RedisServer> masters = new ArrayList<>();
    private final List<RedisServer> replicas = new ArrayList<>();

    private RedisCluster() {
    }

    public static RedisCluster start(int masterCount, boolean withReplicas) {
        return start(RedisBinary.preferred(), masterCount, withReplicas);
    }

    /**
     * Starts a cluster of the given binary and returns once every node says {@code cluster_state:ok} and every
     * replica is in sync with its master: a replica that never synced cannot win a failover election.
     */
    public static RedisCluster start(RedisBinary binary, int masterCount, boolean withReplicas) {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < masterCount; i++) {
                cluster.masters.add(node(binary));
                if (withReplicas) {
                    cluster.replicas.add(node(binary));
                }
            }
            for (int i = 0; i < masterCount; i++) {
                List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = i * SLOTS / masterCount; slot < (i + 1) * SLOTS / masterCount; slot++) {
                    addSlots.add(String.valueOf(slot));
                }
                expectOk(Resp.command(cluster.masters.get(i).port(), addSlots));
            }
            int first = cluster.masters.get(0).port();
            for (RedisServer node : cluster.nodes()) {
                if (node.port() != first) {
                    expectOk(Resp.command(node.port(), List.of("CLUSTER", "MEET", "127.0.0.1", String.valueOf(first))));
                }
            }
            cluster.awaitState("cluster_state:ok", cluster.masters);
            for (int i = 0; i < cluster.replicas.size(); i++) {
                String masterId = Resp.command(cluster.masters.get(i).port(), List.of("CLUSTER", "MYID"));
                RedisServer replica = cluster.replicas.get(i);
                awaitKnown(replica.port(), masterId);
                expectOk(Resp.command(replica.port(), List.of("CLUSTER", "REPLICATE", masterId)));
            }
            cluster.awaitState("cluster_state:ok", cluster.nodes());
            cluster.awaitReplicasInSync();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static RedisServer node(RedisBinary binary) {
        return RedisServer.startNew(binary, "--cluster-enabled", "yes", "--cluster-node-timeout", "1000",
                "--cluster-config-file", "nodes.conf");
    }

    public List<RedisServer> masters() {
        return masters;
    }

    public List<RedisServer> replicas() {
        return replicas;
    }

    /** "127.0.0.1:port" of every master, for a client's seed list. */
    public List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        masters.forEach(master -> seeds.add("127.0.0.1:" + master.port()));
        return seeds;
    }

    private List<RedisServer> nodes() {
        List<RedisServer> nodes = new ArrayList<>(masters);
        nodes.addAll(replicas);
        return nodes;
    }

    /** Waits until every given node reports the state line in CLUSTER INFO. */
    public void awaitState(String stateLine, List<RedisServer> nodes) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (RedisServer node : nodes) {
                String info = Resp.command(node.port(), List.of("CLUSTER", "INFO"));
                all &= info != null && info.contains(stateLine);
            }
            if (all) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("cluster did not reach " + stateLine + " within 30 s");
    }

    /**
     * Waits until every running node that is a replica has its link to its master up and no sync in progress.
     * Redis 7 syncs diskless after a 5 s delay by default ({@code repl-diskless-sync-delay}), 6.2 through disk.
     */
    public void awaitReplicasInSync() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (RedisServer node : nodes()) {
                String info = replicationInfo(node);
                if (info != null && info.contains("role:slave")) {
                    all &= info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0");
                }
            }
            if (all) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("replicas did not sync with their masters within 30 s");
    }

    /** The running nodes that are masters now, after any failover. */
    public List<RedisServer> currentMasters() {
        List<RedisServer> current = new ArrayList<>();
        for (RedisServer node : nodes()) {
            String info = replicationInfo(node);
            if (info != null && info.contains("role:master")) {
                current.add(node);
            }
        }
        return current;
    }

    /** INFO replication of a node, or null when it is down. */
    private static String replicationInfo(RedisServer node) {
        try {
            return Resp.command(node.port(), List.of("INFO", "replication"));
        } catch (java.io.UncheckedIOException down) {
            return null;
        }
    }

    private static void awaitKnown(int port, String nodeId) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            String nodes = Resp.command(port, List.of("CLUSTER", "NODES"));
            if (nodes != null && nodes.contains(nodeId)) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("node on port " + port + " did not learn of " + nodeId);
    }

    private static void expectOk(String reply) {
        if (!"+OK".equals(reply)) {
            throw new IllegalStateException("cluster set-up failed: " + reply);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        nodes().forEach(RedisServer::close);
    }
}
