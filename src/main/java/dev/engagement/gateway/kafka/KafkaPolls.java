package dev.engagement.gateway.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of the requests topic (camel-kafka's batching mode hands the records over as one list), run
 * as routes/kafka-intake.yaml lays out: the records of one account (partition and record key) one after
 * the other, accounts side by side; then, per partition, the offset of the last record done committed.
 */
public class KafkaPolls {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPolls.class);
    /** Set on a record's exchange once it went through direct:kafka-record with no error left over. */
    static final String DONE = "engagementKafkaDone";

    private final CamelContext context;
    private final ProducerTemplate template;
    private final long retryBackoffMs;
    private final long retryMaxBackoffMs;

    public KafkaPolls(CamelContext context, ProducerTemplate template, long retryBackoffMs, long retryMaxBackoffMs) {
        this.context = context;
        this.template = template;
        this.retryBackoffMs = retryBackoffMs;
        this.retryMaxBackoffMs = retryMaxBackoffMs;
    }

    /**
     * The batch's records grouped by topic, partition and record key (the account), each group in offset
     * order. Records without a key share one group per partition: nothing says they are independent.
     */
    public List<List<Exchange>> byAccount(List<Exchange> records) {
        Map<String, List<Exchange>> groups = new LinkedHashMap<>();
        for (Exchange record : records) {
            Message m = record.getMessage();
            Object key = m.getHeader(KafkaConstants.KEY);
            groups.computeIfAbsent(partitionOf(record) + (key == null ? "" : "/key:" + key), g -> new ArrayList<>()).add(record);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * One account's records through direct:kafka-record, one after the other. A record whose failure its
     * route could not turn into a result or a dead letter (Kafka did not take it) is tried again, with a
     * growing pause, until it is done: the records behind it wait, so the account's order holds and
     * nothing is skipped. Only a stopping gateway leaves it (and them) not done, to be redelivered.
     */
    public void inOrder(List<Exchange> group) throws InterruptedException {
        for (Exchange record : group) {
            long backoff = retryBackoffMs;
            while (true) {
                // each attempt on a copy: the route turns the body into an engagement
                Exchange attempt = record.copy();
                template.send("direct:kafka-record", attempt);
                if (attempt.getException() == null) {
                    record.setProperty(DONE, true);
                    break;
                }
                if (stopping()) {
                    LOG.warn("Kafka record {} is not done ({}) and the gateway is stopping: it is redelivered after the start",
                            where(record), attempt.getException().toString());
                    return;
                }
                LOG.warn("Kafka record {} is not done ({}); trying again in {} ms, the {} behind it of the same account waiting",
                        where(record), attempt.getException().toString(), backoff, group.size() - group.indexOf(record) - 1);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, retryMaxBackoffMs);
            }
        }
    }

    /**
     * Per partition: commits the offset of the last record before the first one that is not done (all of
     * them unless the gateway is stopping). What is not committed is delivered again after a restart or
     * to the partition's next owner, where each record's request id makes it a replay.
     */
    public void commitDone(List<List<Exchange>> groups) {
        Map<String, List<Exchange>> byPartition = new LinkedHashMap<>();
        for (List<Exchange> group : groups) {
            for (Exchange record : group) {
                byPartition.computeIfAbsent(partitionOf(record), p -> new ArrayList<>()).add(record);
            }
        }
        for (List<Exchange> partition : byPartition.values()) {
            partition.sort((a, b) -> Long.compare(offset(a), offset(b)));
            Exchange lastDone = null;
            for (Exchange record : partition) {
                if (!record.getProperty(DONE, false, Boolean.class)) {
                    break;
                }
                lastDone = record;
            }
            if (lastDone != null) {
                commit(lastDone);
            }
        }
    }

    private static void commit(Exchange record) {
        KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("No manual commit on the record: the intake needs allowManualCommit=true");
        }
        try {
            commit.commit();
        } catch (RuntimeException e) {
            // the partition moved to another member meanwhile: it takes the records up from the last commit
            LOG.info("Offset of Kafka record {} not committed: {}", where(record), e.toString());
        }
    }

    private boolean stopping() {
        return context.isStopping() || context.isStopped() || Thread.currentThread().isInterrupted();
    }

    private static String partitionOf(Exchange record) {
        Message m = record.getMessage();
        return m.getHeader(KafkaConstants.TOPIC) + "/" + m.getHeader(KafkaConstants.PARTITION);
    }

    private static long offset(Exchange record) {
        return record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
    }

    private static String where(Exchange record) {
        return partitionOf(record) + "/" + offset(record);
    }
}
