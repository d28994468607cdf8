package io.streamvl.jobs.testing;

/**
 * A test class's scenario, run once for all its tests from the first test's set-up rather than from
 * {@code @BeforeAll}: the MiniCluster becomes the jobs' execution environment only around each test. The tests then
 * examine what it left; if it failed, every test fails with its failure.
 */
public final class OnceForAllTests {
    /** The scenario itself. */
    @FunctionalInterface
    public interface Scenario {
        void run() throws Exception;
    }

    private boolean ran;
    /** An exception, or an assertion error (an output that never came). */
    private Throwable failure;

    /** Runs {@code scenario} unless a test already did; then rethrows what it threw. */
    public synchronized void run(Scenario scenario) throws Exception {
        if (!ran) {
            ran = true;
            try {
                scenario.run();
            } catch (Exception | AssertionError e) {
                failure = e;
            }
        }
        if (failure instanceof AssertionError e) {
            throw e;
        }
        if (failure != null) {
            throw (Exception) failure;
        }
    }
}
