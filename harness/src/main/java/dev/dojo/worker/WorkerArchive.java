package dev.dojo.worker;

import dev.dojo.kata.Javac;
import dev.dojo.kata.Kata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes the worker archive: a JDK class-data-sharing archive (dynamic AppCDS) of the classes a
 * worker loads on its way to its first run, DJL's, javac's and JUnit's among them. A worker started
 * from it ({@link WorkerProcess#sharing()}) maps them at once instead of finding, reading and
 * verifying each one. One worker, started as every worker is and on this JVM's class path, warms
 * up, tests a kata and exits normally; its JVM then writes the archive. The archive fits only that
 * class path, of jars only (a class folder cannot be archived), and that JDK; {@code ./kata} makes
 * it again whenever the harness is rebuilt.
 *
 * <pre>java -cp HARNESS_JAR:DEPENDENCIES dev.dojo.worker.WorkerArchive ARCHIVE [DOJO_ROOT]</pre>
 */
public final class WorkerArchive {
    /** The system property that makes a worker exit normally, not halt, when its standard input ends. */
    static final String TRAINING_PROPERTY = "dojo.worker.training";
    /** The catalogue kata the training worker tests, broken and then fixed, from a copy: the classes of a kata's run. */
    static final String TRAINING_KATA = "rotary-embedding";

    private WorkerArchive() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: WorkerArchive ARCHIVE [DOJO_ROOT]");
            System.exit(2);
        }
        Path archive = Path.of(args[0]).toAbsolutePath();
        Path folder = Files.createTempDirectory("dojo-archive");
        try {
            String failure = make(archive, args.length == 2 ? Path.of(args[1]) : null, folder);
            if (failure != null) {
                System.err.println("dojo: no worker archive, workers start without one: " + failure);
                System.exit(1);
            }
        } finally {
            Javac.clear(folder);
        }
    }

    /**
     * Makes {@code archive} from a worker that warms up and, with the checkout at {@code root}, tests
     * a copy of {@link #TRAINING_KATA} in {@code folder}: as it is, then with its solution in place
     * (so that the probes run too). Null when it is made, else what went wrong.
     */
    static String make(Path archive, Path root, Path folder) throws IOException, InterruptedException {
        List<Request> requests = new ArrayList<>(List.of(new Request.Warm()));
        Path kata = folder.resolve(TRAINING_KATA);
        Path solution = null;
        if (root != null && Files.isRegularFile(root.resolve("katas").resolve(TRAINING_KATA).resolve("kata.json"))) {
            Kata training = Kata.read(root, TRAINING_KATA);
            copy(training.kataDir().resolve("src"), kata.resolve("src"));
            Request.Test test = new Request.Test(kata.toString(), training.golden(), Limits.TEST_TIMEOUT.toMillis(), null, null);
            requests.add(test);
            requests.add(test);
            solution = training.solutionDir().resolve("src");
        }
        // written beside it and moved into place, so that no worker ever maps a half-written archive
        Path written = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(written);
        List<String> options = List.of("-XX:ArchiveClassesAtExit=" + written, "-D" + TRAINING_PROPERTY + "=true");
        WorkerProcess worker = WorkerProcess.start(WorkerProcess.command(Limits.standard(), false, options));
        long wait = Limits.standard().startup().toMillis();
        try {
            for (int id = 1; id <= requests.size(); id++) {
                if (id == 3 && Files.isDirectory(solution)) {
                    copy(solution, kata.resolve("src"));
                }
                worker.send(id, requests.get(id - 1));
                WorkerProcess.Received next;
                do {
                    next = worker.next(wait);
                    if (!(next instanceof WorkerProcess.Message)) {
                        return "the training worker " + (next == null ? "went silent" : "exited: " + next);
                    }
                } while (!(((WorkerProcess.Message) next).event() instanceof Event.Done));
            }
            worker.hangUp();
            WorkerProcess.Received last;
            do {
                last = worker.next(wait);
            } while (last instanceof WorkerProcess.Message);
            if (!(last instanceof WorkerProcess.Exited exited) || exited.code() != 0 || !Files.isRegularFile(written)) {
                return "the training worker did not write it: " + last;
            }
            if (!maps(written)) {
                return "a JVM cannot map the archive it wrote";
            }
            Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        } finally {
            worker.kill();
            Files.deleteIfExists(written);
        }
    }

    /**
     * Whether a worker's JVM starts from {@code archive} ({@code -Xshare:on} fails where
     * {@code -Xshare:auto} would quietly go without it): the archive is checked once, here.
     */
    private static boolean maps(Path archive) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(WorkerProcess.command(Limits.standard(), false,
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on")));
        command.set(command.size() - 1, "-version");           // in place of the worker's main class
        Process java = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return java.waitFor() == 0;
    }

    /** Copies the files under {@code from} to the same places under {@code to}, replacing any there. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
