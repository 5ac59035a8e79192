package dev.engagement.gateway.sandbox;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SandboxEndpointsTest {

    private static final String DISABLED = "The bundled sandbox is not running in this gateway (engagement.sandbox.enabled=false)";

    @Test
    void withoutTheBundledSandboxBothEndpointsAnswerTheSameNotFound() {
        EngagementFailure ledger = assertThrows(EngagementFailure.class, () -> new SandboxLedger(null).actions("twitter"));
        EngagementFailure faults = assertThrows(EngagementFailure.class, () -> new SandboxFaults(null).inject(null));
        for (EngagementFailure failure : new EngagementFailure[] {ledger, faults}) {
            assertEquals(ErrorCode.NOT_FOUND, failure.code());
            assertEquals(DISABLED, failure.getMessage());
        }
    }
}
