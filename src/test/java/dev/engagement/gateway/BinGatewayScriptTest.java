package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/gateway passes JAVA_OPTS to the JVM as options, never as shell code: the project's script runs in
 * a copy of its layout whose "java" (JAVA_HOME) only prints the arguments it was given.
 */
class BinGatewayScriptTest {

    @Test
    void javaOptsAreSplitIntoOptionsAndNeverEvaluated(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Files.copy(Path.of("bin", "gateway"), home.resolve("bin/gateway"));
        Files.createDirectories(home.resolve("target"));
        Files.writeString(home.resolve("target/engagement-gateway.jar"), "");
        Path jdk = home.resolve("jdk/bin");
        Files.createDirectories(jdk);
        Path args = home.resolve("args.txt");
        Files.writeString(jdk.resolve("java"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > '" + args + "'\n");
        for (Path script : List.of(home.resolve("bin/gateway"), jdk.resolve("java"))) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path injected = home.resolve("injected");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/gateway").toString(), "sandbox")
                .redirectErrorStream(true).redirectOutput(home.resolve("out.txt").toFile());
        pb.environment().put("JAVA_HOME", home.resolve("jdk").toString());
        pb.environment().put("JAVA_OPTS", "-Xmx512m -Dx=$(touch${IFS}" + injected + ") -Dy=`touch${IFS}" + injected + "`;touch${IFS}" + injected);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(home.resolve("out.txt")));

        assertFalse(Files.exists(injected), "JAVA_OPTS ran as shell code");
        List<String> given = Files.readAllLines(args);
        assertTrue(given.contains("-Xmx512m"), given.toString());
        assertTrue(given.contains("-Dx=$(touch${IFS}" + injected + ")"), "kept as text: " + given);
        assertEquals(List.of("-jar", home.resolve("target/engagement-gateway.jar").toString(), "sandbox"),
                given.subList(given.size() - 3, given.size()));
    }
}
