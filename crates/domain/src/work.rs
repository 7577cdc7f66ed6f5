//! CPU-heavy work (password hashing, picture decoding) runs on threads of its own, never on the
//! async workers, and is bounded: at most `concurrency` jobs at once (one thread each), at most
//! `queue` callers waiting, none of them longer than `wait`. Past that the caller is told the
//! server is busy (503 with `Retry-After`) instead of queueing without limit: a flood of logins
//! costs bounded memory (argon2 takes 19 MiB a hash).
//!
//! The threads run at a lower priority than the rest of the process ([`NICE`]): when readers
//! want the cores, the scheduler gives them first, and hashing gets what is left; on an idle
//! machine a hash takes as long as ever. A flood of logins therefore slows logins, not pages.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

/// The nice value of the work threads (Linux; the process's own is 0): under contention the
/// scheduler gives such a thread about a tenth of a core's time against one at nice 0.
pub const NICE: i32 = 10;

/// How long a caller refused for a full queue waits before it hears so. It holds no turn and
/// no place in the queue meanwhile, only its connection; a client that sends again as soon as
/// it is refused (a flood of logins on 32 connections was answered 16,000 times a second, and
/// each answer took a reader's share of the cores) comes back at this pace instead.
pub const BUSY_PACE: Duration = Duration::from_millis(250);

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    #[error("{0}: too busy, the queue is full")]
    Busy(&'static str),
    #[error("{0}: the work panicked or its thread is gone")]
    Failed(&'static str),
    #[error("{0}: cannot start a work thread: {1}")]
    Start(&'static str, std::io::Error),
}

type Job = Box<dyn FnOnce() + Send>;

pub struct WorkPool {
    name: &'static str,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    wait: Duration,
    jobs: Sender<Job>,
}

/// Counts a caller as waiting for as long as it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl WorkPool {
    /// Starts `concurrency` threads (at least one), named after the pool, at [`NICE`]. They
    /// end when the pool is dropped.
    pub fn new(
        name: &'static str,
        concurrency: usize,
        queue: usize,
        wait: Duration,
    ) -> Result<Self, WorkError> {
        let concurrency = concurrency.max(1);
        let (jobs, incoming) = channel::<Job>();
        let incoming = Arc::new(Mutex::new(incoming));
        // "hashing-0", "pictures-0": the pool's name's last word (a thread's name is short).
        let short = name.rsplit(' ').next().unwrap_or(name);
        for n in 0..concurrency {
            let incoming = incoming.clone();
            std::thread::Builder::new()
                .name(format!("{short}-{n}"))
                .spawn(move || work_thread(&incoming))
                .map_err(|err| WorkError::Start(name, err))?;
        }
        Ok(Self {
            name,
            permits: Arc::new(Semaphore::new(concurrency)),
            waiting: AtomicUsize::new(0),
            queue,
            wait,
            jobs,
        })
    }

    /// Runs `work` on the pool's threads when a turn is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WorkError> {
        self.turn().await?.run(work).await
    }

    /// Waits for a turn (or is refused after [`BUSY_PACE`] when the queue is full, or after
    /// `wait`). A caller takes its turn before it gathers the work's inputs, so one that will
    /// be refused costs nothing more (a login's database lookup).
    pub async fn turn(&self) -> Result<Turn<'_>, WorkError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    tokio::time::sleep(BUSY_PACE).await;
                    return Err(WorkError::Busy(self.name));
                }
                let _waiting = Waiting(&self.waiting);
                match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(WorkError::Busy(self.name)),
                }
            }
        };
        Ok(Turn {
            name: self.name,
            permit,
            jobs: &self.jobs,
        })
    }

    /// How many callers wait for a turn now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }
}

/// A turn at a pool, held until its work is done (or it is dropped unused).
pub struct Turn<'a> {
    name: &'static str,
    permit: OwnedSemaphorePermit,
    jobs: &'a Sender<Job>,
}

impl Turn<'_> {
    /// Runs `work` on one of the pool's threads in this turn. The turn goes with the work and
    /// is given back when the work is done, even if the caller is gone by then (a client that
    /// hangs up cannot get more work running than there are turns); work whose caller is gone
    /// before it starts is skipped.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WorkError> {
        let Turn { name, permit, jobs } = self;
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _turn = permit;
            if !answer.is_closed() {
                let _ = answer.send(work());
            }
        });
        jobs.send(job).map_err(|_| WorkError::Failed(name))?;
        answered.await.map_err(|_| WorkError::Failed(name))
    }
}

/// A work thread: lowers its own priority, then runs jobs until the pool is dropped. A job
/// that panics loses its answer (the caller gets `Failed`), not the thread.
fn work_thread(incoming: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        let job = match incoming.lock() {
            Ok(incoming) => incoming.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => {
                let _ = catch_unwind(AssertUnwindSafe(job));
            }
            Err(_) => return,
        }
    }
}

/// Sets the calling thread's nice value to [`NICE`] (on Linux a nice value is a thread's own).
#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority takes plain integers; `who = 0` names the calling thread, and a
    // failure (which only leaves the priority as it was) is reported through the return value.
    let done = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, NICE) };
    if done != 0 {
        tracing::warn!(
            "work thread keeps its priority: {}",
            std::io::Error::last_os_error()
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::task::JoinHandle;

    /// Takes one of `pool`'s turns with work that runs until `release` is sent; returns once
    /// the work has started.
    async fn occupy(pool: &Arc<WorkPool>) -> (Sender<()>, JoinHandle<Result<bool, WorkError>>) {
        let (release, hold) = channel::<()>();
        let (started, running) = oneshot::channel();
        let work = tokio::spawn({
            let pool = pool.clone();
            async move {
                pool.run(move || {
                    let _ = started.send(());
                    hold.recv().is_ok()
                })
                .await
            }
        });
        running.await.unwrap();
        (release, work)
    }

    /// The nice value of the calling thread, read from `/proc`.
    #[cfg(target_os = "linux")]
    fn own_nice() -> Option<i32> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        // Fields after the command's closing parenthesis: state is the 3rd field, nice the 19th.
        let rest = stat.rsplit_once(')')?.1;
        rest.split_whitespace().nth(16)?.parse().ok()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_answers_busy_after_a_pause() {
        let pool = Arc::new(WorkPool::new("test", 1, 1, Duration::from_secs(5)).unwrap());
        let (release, running) = occupy(&pool).await;
        let queued = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(|| 2).await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(pool.waiting(), 1);
        let started = std::time::Instant::now();
        let refused = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(|| 3).await }
        });
        tokio::time::sleep(BUSY_PACE / 2).await;
        assert_eq!(
            pool.waiting(),
            1,
            "a refused caller takes no place in the queue"
        );
        assert!(matches!(refused.await.unwrap(), Err(WorkError::Busy(_))));
        let took = started.elapsed();
        assert!(
            took >= BUSY_PACE && took < Duration::from_secs(2),
            "refused after the pace, long before the queue's wait: {took:?}"
        );
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert_eq!(queued.await.unwrap().unwrap(), 2);
        assert_eq!(pool.waiting(), 0);
    }

    #[tokio::test]
    async fn a_long_wait_ends_busy() {
        let pool = Arc::new(WorkPool::new("test", 1, 4, Duration::from_millis(100)).unwrap());
        let (release, running) = occupy(&pool).await;
        assert!(matches!(pool.run(|| 1).await, Err(WorkError::Busy(_))));
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert_eq!(pool.run(|| 5).await.unwrap(), 5);
    }

    /// The work runs at a lower priority than the async workers that asked for it, on a thread
    /// named after its pool.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn work_runs_at_a_lower_priority() {
        let pool = WorkPool::new("password hashing", 2, 4, Duration::from_secs(5)).unwrap();
        let caller = own_nice().unwrap();
        let worker = pool.run(own_nice).await.unwrap().unwrap();
        assert!(worker >= NICE && worker > caller, "{worker} vs {caller}");
        let thread = pool
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .unwrap();
        assert!(
            matches!(thread.as_deref(), Some("hashing-0" | "hashing-1")),
            "{thread:?}"
        );
    }

    /// A job that panics answers `Failed`; the thread lives on and runs the next job.
    #[tokio::test]
    async fn a_panic_fails_its_job_only() {
        let pool = WorkPool::new("test", 1, 4, Duration::from_secs(5)).unwrap();
        let failed = pool.run(|| -> u8 { panic!("a job that panics") }).await;
        assert!(matches!(failed, Err(WorkError::Failed(_))));
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }

    /// A caller that goes away does not give its turn back while its work still runs: no more
    /// work runs at once than there are turns, however many clients hang up.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_that_leaves_keeps_its_turn_until_the_work_ends() {
        let pool = Arc::new(WorkPool::new("test", 1, 4, Duration::from_millis(200)).unwrap());
        let (release, caller) = occupy(&pool).await;
        caller.abort();
        assert!(caller.await.unwrap_err().is_cancelled());
        let meanwhile = tokio::time::timeout(Duration::from_secs(5), pool.run(|| 1)).await;
        assert!(
            matches!(meanwhile, Ok(Err(WorkError::Busy(_)))),
            "the only turn is still taken"
        );
        release.send(()).unwrap();
        let after = tokio::time::timeout(Duration::from_secs(5), pool.run(|| 2)).await;
        assert_eq!(after.unwrap().unwrap(), 2);
    }
}
