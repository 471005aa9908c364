package dev.deed.lifecycle;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs trials on a daemon worker thread and gives up on one that outlives its time bound, so that a
 * hanging system under test is a reported failure, never a hung test run. A hung worker is
 * interrupted and abandoned (a daemon: it cannot keep the JVM alive); later trials get a new worker.
 */
final class Watchdog implements AutoCloseable {
    private static final AtomicInteger WORKERS = new AtomicInteger();
    private ExecutorService worker = newWorker();

    <M, S> TrialResult run(Trial<M, S> trial, Duration bound) {
        Future<TrialResult> result = worker.submit(trial::run);
        try {
            return result.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            TrialResult sofar = trial.partialResult(null);
            int step = sofar.steps().size();
            String where = step == 0 ? "before its first step"
                    : "in step " + step + " (" + sofar.steps().get(step - 1) + ")";
            return trial.partialResult(new Failure(Failure.TIMEOUT,
                    "trial still running after " + bound.toMillis() + " ms; it hung " + where, step, null));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return trial.partialResult(Failure.thrown(cause, trial.partialResult(null).steps().size(), "escaped the trial"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new IllegalStateException("interrupted while waiting for a trial", e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "deed-trial-" + WORKERS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
