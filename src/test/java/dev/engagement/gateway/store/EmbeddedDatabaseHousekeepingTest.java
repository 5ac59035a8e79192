package dev.engagement.gateway.store;

import dev.engagement.gateway.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.StateChange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded H2 database, written through on every commit, runs no background writer: without the
 * compaction rounds nothing rewrites the little live data each commit's chunk keeps, so the chunks (and
 * H2's record of them on the heap) pile up. The gateway's own writes for auto-approved likes, with and
 * without the rounds; the file's size shows what was rewritten and freed.
 */
class EmbeddedDatabaseHousekeepingTest {

    private static final int ENGAGEMENTS = 2500;

    @Test
    void compactionRoundsKeepTheFileFromGrowingWithEveryCommit() throws Exception {
        long without = fileSizeAfterWorkload(false);
        long with = fileSizeAfterWorkload(true);
        assertTrue(with * 2 < without, "with compaction rounds the file is " + with / 1024 + " KB, without "
                + without / 1024 + " KB: expected less than half");
    }

    @Test
    void theRetentionIsH2sOwnAndNeverShorterThanAFewFsyncs() throws Exception {
        Path dir = Files.createTempDirectory("h2-retention");
        try (HikariDataSource ds = Database.open(settings(Map.of("engagement.data-dir", dir.toString())))) {
            assertTrue(ds.getJdbcUrl().contains(";RETENTION_TIME=45000;"), ds.getJdbcUrl());
        }
        assertEquals(3000, Database.embeddedRetentionMs(settings(Map.of("engagement.datasource.h2-retention-ms", "3000"))));
        // shorter than three fsync intervals, or short with no fsync at all: H2 could write over what the disk lacks
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class, () -> Database.embeddedRetentionMs(
                settings(Map.of("engagement.datasource.h2-retention-ms", "2000"))));
        assertTrue(tooShort.getMessage().contains("at least 3 × h2-sync-interval-ms (3000)"), tooShort.getMessage());
        IllegalArgumentException noSync = assertThrows(IllegalArgumentException.class, () -> Database.embeddedRetentionMs(
                settings(Map.of("engagement.datasource.h2-sync-interval-ms", "0", "engagement.datasource.h2-retention-ms", "5000"))));
        assertTrue(noSync.getMessage().contains("H2's own 45000"), noSync.getMessage());
    }

    private static Settings settings(Map<String, String> values) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        context.getPropertiesComponent().setOverrideProperties(props(values));
        return new Settings(context.getPropertiesComponent());
    }

    private static long fileSizeAfterWorkload(boolean compact) throws Exception {
        Path dir = Files.createTempDirectory("h2-housekeeping");
        // chunks younger than RETENTION_TIME (45 s in the gateway's URL) are never rewritten or freed: short here,
        // so that rounds in a test of seconds have old chunks to work on
        try (HikariDataSource ds = Database.open(settings(Map.of(
                "engagement.datasource.url", "jdbc:h2:file:" + dir.resolve("engagements") + ";WRITE_DELAY=0;RETENTION_TIME=200")))) {
            ReadWriteLock maintenance = new ReentrantReadWriteLock();
            EmbeddedDatabaseHousekeeping housekeeping = new EmbeddedDatabaseHousekeeping(ds, maintenance, 60, 512 * 1024);
            MaintenanceAwareDataSource engagements = new MaintenanceAwareDataSource(ds, maintenance);
            ObjectMapper mapper = Json.newObjectMapper();
            EngagementRecords records = new EngagementRecords(engagements, mapper, new EngagementReads(engagements, mapper));
            for (int i = 0; i < ENGAGEMENTS; i++) {
                // an auto-approved like as the gateway writes it: admitted with its decision, then its result
                Engagement e = records.admit(new EngagementRequest("like", "twitter", "tweet_" + i, null, List.of("authentic"),
                        null, null), null);
                e = records.admitWith(e, StateChange.executionStartedByPolicy(null));
                records.apply(e, StateChange.succeeded(EngagementResult.success(e.getId(), null, Map.of("liked", true)), 3L));
                if (compact && i % 25 == 0) {
                    housekeeping.compact();
                    housekeeping.sync();
                }
                if (i % 100 == 0) {
                    // lets chunks age past the retention time, as they do in a running gateway (every 250 was too rare
                    // on a fast machine: the rounds then found too few old chunks, and the file was 0.51 of the other)
                    Thread.sleep(100);
                }
            }
            return Files.size(dir.resolve("engagements.mv.db"));
        }
    }

    private static Properties props(Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }
}
