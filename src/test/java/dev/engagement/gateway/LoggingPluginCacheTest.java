package dev.engagement.gateway;

import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginProcessor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar keeps only one log4j plugin cache (META-INF/.../Log4j2Plugins.dat), so ours is the
 * merge of log4j-core's and log4j-layout-template-json's — without it the JSON log layout and its
 * converters are missing from {@code java -jar}. After a log4j upgrade this fails until the file
 * is regenerated: run {@code PluginCache.loadCacheFiles(...)} over the dependencies' cache files and
 * {@code writeCache} to src/main/resources/META-INF/org/apache/logging/log4j/core/config/plugins/.
 */
class LoggingPluginCacheTest {

    @Test
    void theMergedPluginCacheHoldsEveryLog4jPlugin() throws Exception {
        List<URL> files = Collections.list(getClass().getClassLoader().getResources(PluginProcessor.PLUGIN_CACHE_FILE));
        URL ours = files.stream().filter(u -> u.toString().contains("/target/classes/")).findFirst()
                .orElseThrow(() -> new AssertionError("no merged plugin cache in target/classes: " + files));
        PluginCache all = new PluginCache();
        all.loadCacheFiles(Collections.enumeration(files.stream().filter(u -> u != ours).toList()));
        PluginCache merged = new PluginCache();
        merged.loadCacheFiles(Collections.enumeration(List.of(ours)));
        assertEquals(names(all), names(merged), "regenerate the merged Log4j2Plugins.dat (see this test's comment)");
        assertTrue(names(merged).get("core").contains("jsontemplatelayout"));
    }

    private static Map<String, TreeSet<String>> names(PluginCache cache) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        cache.getAllCategories().forEach((category, plugins) -> out.put(category, new TreeSet<>(plugins.keySet())));
        return out;
    }
}
