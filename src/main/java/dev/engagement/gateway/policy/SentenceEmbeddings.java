package dev.engagement.gateway.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * Sentence embeddings by quantized e5-small-v2 (384 dimensions, unit length) on ONNX Runtime, in process: the model
 * and its tokenizer ship inside LangChain4j's artifact, nothing is downloaded. Each text is read as e5 expects a
 * text to be classified, after {@code "query: "}. One model per JVM, loaded on first use (about a second; a fresh
 * JVM's resident memory grows by some 220 MB with the runtime, the tokenizer and the model): it is immutable and
 * thread-safe, and every policy built in the JVM (the gateway's, the tests') shares it. e5-small-v2 has twice the
 * layers of all-MiniLM-L6-v2, used before (about 60 MB less), and costs about 1.8 times its CPU per text; over its
 * embeddings the paraphrase model caught more of the text it was not trained on at the same false alarms (the
 * README's "Evaluation").
 * <p>
 * The session computes each text on the calling thread only, without spinning: ONNX Runtime's default pool
 * (one thread per core, spinning while it waits for work) tripled the CPU a reply cost, for no gain on texts
 * this short; concurrent replies run side by side on the gateway's worker threads instead.
 */
public final class SentenceEmbeddings implements Function<String, float[]> {

    private static final String MODEL = "e5-small-v2-q.onnx";
    private static final String TOKENIZER = "e5-small-v2-q-tokenizer.json";
    /** e5 was trained with this prefix on the texts it embeds for classification and similarity. */
    private static final String PREFIX = "query: ";

    private static final class Holder {
        static final EmbeddingModel MODEL = load();
    }

    /** LangChain4j's in-process model around an encoder built with our session options. */
    private static final class Encoder extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Encoder(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return 384;
        }
    }

    @Override
    public float[] apply(String text) {
        return Holder.MODEL.embed(PREFIX + text).content().vector();
    }

    private static EmbeddingModel load() {
        ClassLoader loader = AbstractInProcessEmbeddingModel.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(MODEL); InputStream tokenizer = loader.getResourceAsStream(TOKENIZER);
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException(MODEL + " or " + TOKENIZER + " is missing from the classpath");
            }
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new Encoder(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sentence-embedding model", e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the sentence-embedding model: " + e.getMessage(), e);
        }
    }
}
