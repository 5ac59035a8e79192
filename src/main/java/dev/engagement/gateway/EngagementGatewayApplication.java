package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.apache.camel.main.Main;

import dev.engagement.gateway.connector.ConnectorMain;
import dev.engagement.gateway.sandbox.SandboxMain;

/**
 * Entry point. {@code java -jar engagement-gateway.jar} runs the gateway on its embedded
 * defaults; {@code java -jar engagement-gateway.jar sandbox ...} runs only the sandbox MCP servers, and
 * {@code java -jar engagement-gateway.jar connector x|threads|instagram ...} one live connector's MCP server.
 */
public final class EngagementGatewayApplication {

    private EngagementGatewayApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "sandbox".equals(args[0])) {
            // stdout may be the MCP stdio channel: logs go to stderr.
            System.setProperty("engagement.log.target", "SYSTEM_ERR");
            SandboxMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "connector".equals(args[0])) {
            // stdout may be the MCP stdio channel: logs go to stderr.
            System.setProperty("engagement.log.target", "SYSTEM_ERR");
            try {
                ConnectorMain.main(Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) {
                // a usage or configuration mistake (a missing X_USER_ACCESS_TOKEN...): its message says what to do
                System.err.println("connector: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        int exitCode;
        try {
            exitCode = newMain(Map.of()).run(args);
        } catch (Exception | Error e) {
            // what a user can act on first (a bad setting names its key), the trace for the rest
            System.err.println("gateway: cannot start: " + e.getMessage());
            e.printStackTrace();
            exitCode = 1;
        }
        // Camel has stopped (SIGTERM, camel.main.duration-max-seconds) or failed to start. End the JVM even
        // where a library left a non-daemon thread behind (the MCP SDK's session sweepers never stop).
        System.exit(exitCode);
    }

    /**
     * A Camel Main for the gateway: application.properties from the working directory (or the
     * packaged copy), routes from ./routes (or the packaged copy), plus any overrides.
     */
    public static Main newMain(Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(GatewayConfiguration.class);
        main.setPropertyPlaceholderLocations(Files.isRegularFile(Path.of("application.properties"))
                ? "file:application.properties" : "classpath:application.properties");
        if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty("camel.main.routes-include-pattern", packagedRoutes());
            main.addOverrideProperty("engagement.queries", "classpath:routes/sql");
        }
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * The route files packaged in the jar, by name. Camel resolves {@code classpath:routes/*.yaml} by
     * reading the whole fat jar (~1.7 s of start-up); the jar's own directory lists them at once.
     */
    static String packagedRoutes() {
        try {
            Path location = Path.of(EngagementGatewayApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location)) {
                try (JarFile jar = new JarFile(location.toFile())) {
                    String named = jar.stream().map(JarEntry::getName)
                            .filter(name -> name.matches("routes/[^/]+\\.yaml"))
                            .sorted()
                            .map(name -> "classpath:" + name)
                            .collect(Collectors.joining(","));
                    if (!named.isEmpty()) {
                        return named;
                    }
                }
            }
        } catch (Exception e) {
            // not run from a jar we can read: Camel's own scan finds them, only slower
        }
        return "classpath:routes/*.yaml";
    }
}
