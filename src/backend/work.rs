//! CPU-heavy work (password hashing, picture decoding) runs on the blocking pool, never on the
//! async workers, and is bounded: at most `concurrency` jobs at once, at most `queue` callers
//! waiting for a turn, none of them longer than `wait`. Past that the caller is told the server
//! is busy (503 with `Retry-After`) instead of queueing without limit: a flood of logins costs
//! bounded memory (argon2 takes 19 MiB a hash) and leaves cores to the readers of pages.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    #[error("{0}: too busy, the queue is full")]
    Busy(&'static str),
    #[error("{0}: the blocking task failed: {1}")]
    Join(&'static str, tokio::task::JoinError),
}

pub struct WorkPool {
    name: &'static str,
    permits: Semaphore,
    waiting: AtomicUsize,
    queue: usize,
    wait: Duration,
}

/// Counts a caller as waiting for as long as it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl WorkPool {
    pub fn new(name: &'static str, concurrency: usize, queue: usize, wait: Duration) -> Self {
        Self {
            name,
            permits: Semaphore::new(concurrency.max(1)),
            waiting: AtomicUsize::new(0),
            queue,
            wait,
        }
    }

    /// Runs `work` on the blocking pool when a turn is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WorkError> {
        self.turn().await?.run(work).await
    }

    /// Waits for a turn (or is refused at once when the queue is full, or after `wait`). A
    /// caller takes its turn before it gathers the work's inputs, so one that will be refused
    /// costs nothing more (a login's database lookup).
    pub async fn turn(&self) -> Result<Turn<'_>, WorkError> {
        let permit = match self.permits.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(WorkError::Busy(self.name));
                }
                let _waiting = Waiting(&self.waiting);
                match tokio::time::timeout(self.wait, self.permits.acquire()).await {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(WorkError::Busy(self.name)),
                }
            }
        };
        Ok(Turn {
            name: self.name,
            _permit: permit,
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
    _permit: SemaphorePermit<'a>,
}

impl Turn<'_> {
    /// Runs `work` on the blocking pool in this turn.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WorkError> {
        let name = self.name;
        let done = tokio::task::spawn_blocking(work).await;
        drop(self);
        done.map_err(|e| WorkError::Join(name, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_answers_busy_at_once() {
        let pool = Arc::new(WorkPool::new("test", 1, 1, Duration::from_secs(5)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(move || hold.recv().is_ok()).await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let queued = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(|| 2).await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(pool.waiting(), 1);
        let started = std::time::Instant::now();
        assert!(matches!(pool.run(|| 3).await, Err(WorkError::Busy(_))));
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "refused without waiting"
        );
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert_eq!(queued.await.unwrap().unwrap(), 2);
        assert_eq!(pool.waiting(), 0);
    }

    #[tokio::test]
    async fn a_long_wait_ends_busy() {
        let pool = Arc::new(WorkPool::new("test", 1, 4, Duration::from_millis(100)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(move || hold.recv().is_ok()).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(matches!(pool.run(|| 1).await, Err(WorkError::Busy(_))));
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert_eq!(pool.run(|| 5).await.unwrap(), 5);
    }
}
