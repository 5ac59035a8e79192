package dev.engagement.gateway.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import dev.engagement.gateway.contract.EngagementResult;

/**
 * Gathers the per-item results of a parallel split in the order the items were sent (by split
 * index, whatever order they finish in). Every item arrives as an EngagementResult: the item
 * route has already turned its failure, if any, into that item's contract-shaped answer.
 */
public class BatchResults implements AggregationStrategy {

    private static final String COLLECTED = "engagementBatchResults";

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange collected, Exchange item) {
        // the first item's exchange must not become the batch's: a failed item's "handled by the error
        // handler" state would be copied back to the batch exchange and stop its route before the answer
        Exchange into = collected == null ? new DefaultExchange(item) : collected;
        Map<Integer, EngagementResult> results = into.getProperty(COLLECTED, Map.class);
        if (results == null) {
            results = new TreeMap<>();
            into.setProperty(COLLECTED, results);
        }
        results.put(item.getProperty(Exchange.SPLIT_INDEX, Integer.class), item.getMessage().getBody(EngagementResult.class));
        return into;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onCompletion(Exchange exchange) {
        Map<Integer, EngagementResult> results = exchange.getProperty(COLLECTED, Map.class);
        exchange.removeProperty(COLLECTED);
        exchange.getMessage().setBody(results == null ? List.of() : new ArrayList<>(results.values()));
    }
}
