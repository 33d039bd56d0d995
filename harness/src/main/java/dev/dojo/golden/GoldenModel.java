package dev.dojo.golden;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import dev.dojo.engine.Engines;
import dev.dojo.reference.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TorchScript module exported by real PyTorch ({@code golden/generate.py}), with the example
 * inputs and outputs PyTorch computed. Loaded once per JVM through DJL's {@code Criteria}.
 */
public final class GoldenModel {
    private static final Map<String, GoldenModel> LOADED = new ConcurrentHashMap<>();

    private final String name;
    private final ZooModel<NDList, NDList> model;
    private final byte[] examples;

    private GoldenModel(String name, ZooModel<NDList, NDList> model, byte[] examples) {
        this.name = name;
        this.model = model;
        this.examples = examples;
    }

    /** The golden called {@code name} (golden/NAME.pt and golden/NAME.npz); loaded on first use. */
    public static GoldenModel named(String name) {
        return LOADED.computeIfAbsent(name, GoldenModel::load);
    }

    private static GoldenModel load(String name) {
        Engines.pytorch();
        try {
            Path folder = extract(name, name + ".pt");
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optEngine("PyTorch")
                    .optModelPath(folder)
                    .optModelName(name)
                    .optTranslator(new NoopTranslator())
                    .build();
            return new GoldenModel(name, criteria.loadModel(), read(name + ".npz"));
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new IllegalStateException("cannot load golden model '" + name + "': " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    /** The module's parameters by PyTorch name, copied into {@code manager}. */
    public Parameters parameters(NDManager manager) {
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            byName.put(p.getKey(), copy);
        }
        return new Parameters(byName);
    }

    /** The example tensor PyTorch stored under {@code key} (an input or an output), in {@code manager}. */
    public NDArray example(NDManager manager, String key) {
        NDList all = NDList.decode(manager, examples);
        for (NDArray array : all) {
            if (key.equals(array.getName())) {
                return array;
            }
        }
        StringBuilder keys = new StringBuilder();
        all.forEach(a -> keys.append(keys.length() == 0 ? "" : ", ").append(a.getName()));
        throw new IllegalArgumentException("golden '" + name + "' stores no '" + key + "'; it stores " + keys);
    }

    /** Runs the TorchScript module on {@code inputs} in DJL's libtorch; the outputs live in {@code manager}. */
    public NDList run(NDManager manager, NDArray... inputs) {
        try {
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(inputs), false);
            out.attach(manager);
            return out;
        } catch (RuntimeException e) {
            throw new IllegalStateException("golden '" + name + "' failed on inputs " + shapes(inputs) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String shapes(NDArray... inputs) {
        StringBuilder s = new StringBuilder();
        for (NDArray input : inputs) {
            s.append(s.length() == 0 ? "" : ", ").append(input.getShape());
        }
        return "[" + s + "]";
    }

    /**
     * The folder holding {@code resource}, as DJL's repository expects a model folder: in a per-user
     * cache under the temporary folder, named by the resource's content and checked byte for byte
     * before it is used, so every JVM (a worker is killed, never left to clean up after itself)
     * shares one copy and none is left behind per run.
     */
    private static synchronized Path extract(String name, String resource) throws IOException {
        byte[] bytes = read(resource);
        Path folder = cache().resolve(name + "-" + digest(bytes));
        Path target = folder.resolve(resource);
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return folder;
        }
        Files.createDirectories(folder);
        Path partial = Files.createTempFile(folder, resource, ".part");
        try {
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // another JVM may have put the same bytes there first (Windows refuses to replace an open file)
            if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
                throw e;
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return folder;
    }

    /** This user's folder of extracted golden models under the temporary folder, only the user's to open where the OS allows. */
    private static Path cache() throws IOException {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "dojo-golden-" + user);
        if (!Files.isDirectory(cache)) {
            try {
                Files.createDirectory(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(cache);
            } catch (FileAlreadyExistsException e) {
                // another JVM made it meanwhile
            }
        }
        return cache;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = GoldenModel.class.getResourceAsStream("/golden/" + resource);
        if (in == null) {
            throw new IOException("no resource golden/" + resource + " on the classpath (generated by golden/generate.py)");
        }
        return in;
    }
}
