package dev.engagement.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded H2 on a disk that fills up at run time (its data folder on a small tmpfs of its own, filled by
 * the test): requests that need to write are 503 SERVICE_UNAVAILABLE, health is DOWN naming the database,
 * and no engagement is half-written; with room again, it works again without a restart. Needs a tmpfs mount
 * (root, as CI runs; skipped with a message elsewhere).
 */
class EmbeddedDatabaseFullTest {

    @Test
    void aFullDiskGivesServiceUnavailableAndHealthDownNeverAHalfWrittenEngagement() throws Exception {
        assumeFalse(TestDatabase.isPostgres(), "the embedded H2's own disk");
        Path data = Files.createTempDirectory("gateway-full-disk");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", data.toString()) == 0,
                "cannot mount a small tmpfs here (needs root): skipped");
        try {
            try (RunningGateway gateway = RunningGateway.start(data, java.util.Map.of())) {
                assertEquals("success", gateway.submit(like(0)).text("/status"));
                Path filler = data.resolve("filler");
                fill(filler);
                for (int i = 1; i <= 3; i++) {
                    RunningGateway.Answer refused = gateway.submit(like(i));
                    assertEquals(503, refused.status(), refused.raw());
                    assertEquals("SERVICE_UNAVAILABLE", refused.text("/error/code"), refused.raw());
                }
                // health probes the database at most once a second: it turns DOWN at the next probe
                RunningGateway.Answer health = gateway.get("/observe/health", null);
                long down = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (health.status() == 200 && System.nanoTime() < down) {
                    Thread.sleep(200);
                    health = gateway.get("/observe/health", null);
                }
                assertEquals(503, health.status(), health.raw());
                assertTrue(health.raw().contains("database"), health.raw());

                Files.delete(filler);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (gateway.get("/observe/health", null).status() != 200) {
                    assertTrue(System.nanoTime() < deadline, "health never came back UP");
                    Thread.sleep(200);
                }
                for (int i = 1; i <= 3; i++) {
                    // a request refused during the outage left nothing half-written: sent again, it runs as new
                    RunningGateway.Answer liked = gateway.submit(like(i));
                    assertEquals("success", liked.text("/status"), liked.raw());
                    assertEquals(List.of("received", "executing", "succeeded"), gateway.eventNames(liked.text("/engagement_id")));
                }
                assertEquals("success", gateway.submit(like(0)).text("/status"), "the first one is still there");
            }
        } finally {
            run("umount", "-l", data.toString());
        }
    }

    private static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left on the device: that is the point
        }
    }

    private static String like(int i) {
        return "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_full_" + (char) ('a' + i) + "\", \"request_id\": \"full-" + i + "\"}";
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
