package dev.engagement.gateway.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of test classes whose tests share one running gateway (started once per class). */
public abstract class SharedGateway {

    protected static RunningGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = RunningGateway.start();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }
}
