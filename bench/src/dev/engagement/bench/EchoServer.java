package dev.engagement.bench;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The HTTP ceiling: a bare Camel platform-http route (same Vert.x server, same Camel, same JVM
 * flags as the gateway) that answers every POST with its body. Nothing else runs in it.
 */
public final class EchoServer {

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        // bare: not the gateway's application.properties (its routes, health, metrics), only this route
        main.setPropertyPlaceholderLocations("classpath:bench-echo.properties;optional=true");
        main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:bench-echo-none/*");
        main.addOverrideProperty("camel.server.enabled", "true");
        main.addOverrideProperty("camel.server.port", args[0]);
        main.addOverrideProperty("camel.main.jmx-enabled", "false");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/echo?httpMethodRestrict=POST").routeId("echo")
                        .setHeader("Content-Type", constant("application/json"));
            }
        });
        main.run();
    }

    private EchoServer() {
    }
}
