package dev.engagement.gateway.policy;

import java.util.function.Function;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * Sentence embeddings by quantized all-MiniLM-L6-v2 (384 dimensions, unit length) on ONNX Runtime, in process:
 * the model ships inside LangChain4j's artifact, nothing is downloaded. One model per JVM, loaded on first use
 * (about half a second and 90 MB of native memory): it is immutable and thread-safe, and every policy built in
 * the JVM (the gateway's, the tests') shares it.
 */
public final class SentenceEmbeddings implements Function<String, float[]> {

    private static final class Holder {
        static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    @Override
    public float[] apply(String text) {
        return Holder.MODEL.embed(text).content().vector();
    }
}
