//! A fixed set of threads that grade keyword answers for a whole batch.
//!
//! Keyword grading never waits, so a batch grades it on plain threads. It
//! used tokio's blocking pool, one task per chunk of answers; that pool
//! starts a new thread whenever none is idle at the instant a chunk
//! arrives, so `-j 1` sometimes graded on two threads. Each grading thread
//! builds its own memos (word forms, stems, vocabulary lookups) and regex
//! caches, so an extra thread cost memory and cold caches for nothing.
//! Here `-j N` means exactly N grading threads, started once.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Task<T, R> = (T, oneshot::Sender<R>);

pub(super) struct GradingThreads<T, R> {
    tasks: Sender<Task<T, R>>,
}

impl<T: Send + 'static, R: Send + 'static> GradingThreads<T, R> {
    /// Starts `n` threads (at least one) that run `work` on what
    /// [`GradingThreads::submit`] sends them. They end once this value is
    /// dropped and the work already submitted is done.
    pub fn start(n: usize, work: impl Fn(T) -> R + Send + Sync + 'static) -> Self {
        let (tasks, queue) = channel::<Task<T, R>>();
        let queue: Arc<Mutex<Receiver<Task<T, R>>>> = Arc::new(Mutex::new(queue));
        let work = Arc::new(work);
        for i in 0..n.max(1) {
            let (queue, work) = (queue.clone(), work.clone());
            std::thread::Builder::new()
                .name(format!("viva-grade-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for a task.
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((input, reply)) = next else {
                            return;
                        };
                        // A panic loses this task's result (its receiver
                        // sees the reply dropped), not the thread.
                        if let Ok(result) = catch_unwind(AssertUnwindSafe(|| work(input))) {
                            let _ = reply.send(result);
                        }
                    }
                })
                .expect("a grading thread starts");
        }
        GradingThreads { tasks }
    }

    /// Queues `input` for the next free thread; the receiver gets the
    /// result, or an error if the work panicked.
    pub fn submit(&self, input: T) -> oneshot::Receiver<R> {
        let (reply, result) = oneshot::channel();
        // The threads only stop once `self` is dropped, so they are there.
        let _ = self.tasks.send((input, reply));
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn one_thread_runs_every_task() {
        let threads = GradingThreads::start(1, |x: u32| (x * 2, std::thread::current().id()));
        let replies: Vec<_> = (0..20).map(|x| threads.submit(x)).collect();
        let results: Vec<_> = runtime().block_on(async {
            let mut out = Vec::new();
            for r in replies {
                out.push(r.await.unwrap());
            }
            out
        });
        assert_eq!(
            results.iter().map(|r| r.0).collect::<Vec<_>>(),
            (0..20).map(|x| x * 2).collect::<Vec<_>>()
        );
        let first = results[0].1;
        assert!(results.iter().all(|r| r.1 == first), "more than one thread");
        assert_ne!(first, std::thread::current().id());
    }

    #[test]
    fn a_panicking_task_loses_its_result_not_the_thread() {
        let threads = GradingThreads::start(1, |x: u32| {
            assert!(x != 3, "task 3 fails");
            x
        });
        let failed = threads.submit(3);
        let later = threads.submit(4);
        runtime().block_on(async {
            assert!(failed.await.is_err());
            assert_eq!(later.await.unwrap(), 4);
        });
    }

    #[test]
    fn n_threads_share_the_work() {
        let barrier = Arc::new(std::sync::Barrier::new(3));
        let b = barrier.clone();
        // Each task waits until three are running at once: only three
        // threads let all three tasks finish.
        let threads = GradingThreads::start(3, move |_: ()| {
            b.wait();
            std::thread::current().id()
        });
        let replies: Vec<_> = (0..3).map(|_| threads.submit(())).collect();
        let mut ids = runtime().block_on(async {
            let mut out = Vec::new();
            for r in replies {
                out.push(r.await.unwrap());
            }
            out
        });
        ids.sort_by_key(|id| format!("{id:?}"));
        ids.dedup();
        assert_eq!(ids.len(), 3);
    }
}
