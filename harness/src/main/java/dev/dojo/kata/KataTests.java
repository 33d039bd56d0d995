package dev.dojo.kata;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a kata's JUnit tests in-process, with its compiled classes in a class loader of their own
 * (so a broken and a fixed class of the same name never meet), and says how each test ended.
 */
public final class KataTests {

    /** How a test ended. Only {@link #FAILED_BY_ASSERTION} is a failure a kata may declare. */
    public enum Status { PASSED, FAILED_BY_ASSERTION, FAILED_BY_ERROR, TIMED_OUT, SKIPPED }

    /** One test's end: {@code id} is Class#method (the simple class name), {@code message} the failure's text. */
    public record Outcome(String id, String displayName, Status status, String message, Throwable failure) {
        public boolean passed() {
            return status == Status.PASSED;
        }
    }

    private static Launcher launcher;

    private KataTests() {}

    /** One launcher per JVM: finding the test engines is the slow part of making one. */
    private static synchronized Launcher launcher() {
        if (launcher == null) {
            launcher = LauncherFactory.create();
        }
        return launcher;
    }

    /** Hears a run as it happens: how many tests it found, each test as it starts, and each as it ends. */
    @FunctionalInterface
    public interface Listener {
        /** The run found {@code tests} tests and starts them. */
        default void planned(long tests) {}

        /** The test {@code id} ({@code displayName} in words) starts. */
        default void started(String id, String displayName) {}

        /** A test ended. */
        void finished(Outcome outcome);
    }

    /**
     * Runs every test class under {@code testClasses}, with {@code classpath} (which must include
     * {@code testClasses}) loaded in a fresh class loader over the harness. Each test gets
     * {@code timeout}, after which it is {@link Status#TIMED_OUT} and left behind on a daemon
     * thread; {@code listener} hears the plan, and each test as it starts and ends.
     */
    public static List<Outcome> run(List<Path> classpath, Path testClasses, Duration timeout, Listener listener) {
        for (Path entry : classpath) {
            if (!Files.exists(entry)) {
                throw new IllegalStateException("missing " + entry + ": the kata is not compiled");
            }
        }
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        try (URLClassLoader loader = new URLClassLoader(urls(classpath), KataTests.class.getClassLoader())) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(testClasses)))
                    .configurationParameter("junit.jupiter.execution.timeout.default", timeout.toMillis() + " ms")
                    .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                    .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                    .build();
            TestExecutionListener recorder = new TestExecutionListener() {
                @Override
                public void testPlanExecutionStarted(TestPlan plan) {
                    listener.planned(plan.countTestIdentifiers(TestIdentifier::isTest));
                }

                @Override
                public void executionStarted(TestIdentifier test) {
                    if (test.isTest()) {
                        listener.started(id(test), test.getDisplayName());
                    }
                }

                @Override
                public void executionSkipped(TestIdentifier test, String reason) {
                    if (test.isTest()) {
                        record(new Outcome(id(test), test.getDisplayName(), Status.SKIPPED, reason, null));
                    }
                }

                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (test.isTest()) {
                        Throwable failure = result.getThrowable().orElse(null);
                        record(new Outcome(id(test), test.getDisplayName(), status(result), message(failure), failure));
                    }
                }

                private void record(Outcome outcome) {
                    outcomes.add(outcome);
                    listener.finished(outcome);
                }
            };
            // JUnit runs each timed test in a thread that inherits this thread's daemon status and
            // abandons it at the timeout; a daemon runner keeps a learner's endless loop from
            // keeping the JVM alive after the verdict.
            AtomicReference<Throwable> crash = new AtomicReference<>();
            Thread runner = new Thread(() -> launcher().execute(request, recorder), "kata-tests");
            runner.setDaemon(true);
            runner.setContextClassLoader(loader);
            runner.setUncaughtExceptionHandler((thread, e) -> crash.set(e));
            runner.start();
            runner.join();
            if (crash.get() != null) {
                throw new IllegalStateException("the test run of " + testClasses + " failed: " + crash.get(), crash.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the tests in " + testClasses, e);
        }
        return List.copyOf(outcomes);
    }

    /** The ids of the tests that ended in any of {@code statuses}. */
    public static Set<String> ids(List<Outcome> outcomes, Status... statuses) {
        Set<Status> wanted = Set.of(statuses);
        Set<String> ids = new HashSet<>();
        for (Outcome outcome : outcomes) {
            if (wanted.contains(outcome.status())) {
                ids.add(outcome.id());
            }
        }
        return ids;
    }

    private static Status status(TestExecutionResult result) {
        return switch (result.getStatus()) {
            case SUCCESSFUL -> Status.PASSED;
            case ABORTED -> Status.SKIPPED;
            case FAILED -> {
                Throwable failure = result.getThrowable().orElse(null);
                if (failure instanceof TimeoutException) {
                    yield Status.TIMED_OUT;
                }
                yield failure instanceof AssertionError ? Status.FAILED_BY_ASSERTION : Status.FAILED_BY_ERROR;
            }
        };
    }

    private static String message(Throwable failure) {
        if (failure == null) {
            return "";
        }
        return failure instanceof AssertionError || failure.getMessage() == null
                ? String.valueOf(failure.getMessage()) : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String id(TestIdentifier test) {
        return test.getSource()
                .filter(MethodSource.class::isInstance)
                .map(MethodSource.class::cast)
                .map(m -> simpleName(m.getClassName()) + "#" + m.getMethodName())
                .orElse(test.getDisplayName());
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static URL[] urls(List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath) {
            try {
                urls.add(entry.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(entry + " is not a class path entry", e);
            }
        }
        return urls.toArray(URL[]::new);
    }
}
