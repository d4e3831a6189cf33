//! A second worker for the spatial search's batches, that waits for its node by spinning.
//!
//! A node of the spatial search takes a few hundred microseconds. A worker of rayon's pool
//! that has gone to sleep between two batches takes about as long to wake on a virtual machine
//! (measured on the two-core machines CI runs on: jobs of 100–200 µs gained nothing from a
//! second thread, and the spatial sweep ran slower on two threads than on one). While one
//! search runs, this worker spins instead, so a posted node starts at once. The search's own
//! thread takes a node back that the worker has not claimed by the time it is free, so no
//! batch ever waits for a worker that is not there (one thread, or a pool busy elsewhere), and
//! who computes a node never changes its result.

use std::hint;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::thread;

use crate::numerics::tol;

/// Nothing to do.
const IDLE: u8 = 0;
/// A job waits in the slot.
const POSTED: u8 = 1;
/// The worker is computing the job.
const CLAIMED: u8 = 2;
/// The job's result waits in the slot.
const DONE: u8 = 3;
/// The search is over: the worker returns.
const STOP: u8 = 4;

/// The slot the search's thread and the second worker share.
pub(super) struct Second<J, R> {
    state: AtomicU8,
    job: Mutex<Option<J>>,
    out: Mutex<Option<(J, R)>>,
}

impl<J: Send, R: Send> Second<J, R> {
    /// An empty slot.
    pub(super) fn new() -> Self {
        Second { state: AtomicU8::new(IDLE), job: Mutex::new(None), out: Mutex::new(None) }
    }

    /// `here` on this thread and `work` on `there` on the second worker when it claims it in
    /// time (else here too, after `here`); `there` comes back with its result.
    pub(super) fn both<H>(
        &self,
        work: &(impl Fn(&mut J) -> R + Sync),
        here: impl FnOnce() -> H,
        there: J,
    ) -> (H, J, R) {
        *lock(&self.job) = Some(there);
        self.state.store(POSTED, Ordering::Release);
        let first = here();
        if self.state.compare_exchange(POSTED, IDLE, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            // not claimed: this thread does it
            let mut job = lock(&self.job).take().expect("a posted job stays in its slot until claimed");
            let second = work(&mut job);
            return (first, job, second);
        }
        let mut spins = 0;
        loop {
            match self.state.load(Ordering::Acquire) {
                DONE => break,
                // the worker's own `Stopper` on its way out of a panic: the scope re-raises it
                STOP => panic!("the spatial search's second thread stopped during a node"),
                _ => pause(&mut spins),
            }
        }
        let (job, second) = lock(&self.out).take().expect("a job is done once its result is in the slot");
        self.state.store(IDLE, Ordering::Release);
        (first, job, second)
    }

    /// The second worker's loop: claims posted jobs until a [`Stopper`] of this slot drops.
    pub(super) fn serve(&self, work: &(impl Fn(&mut J) -> R + Sync)) {
        // a panic in `work` stops the slot, so the search's thread does not wait for it forever
        let _stop = self.stopper();
        let mut spins = 0;
        loop {
            match self.state.load(Ordering::Acquire) {
                STOP => return,
                POSTED
                    if self
                        .state
                        .compare_exchange(POSTED, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
                        .is_ok() =>
                {
                    let mut job = lock(&self.job).take().expect("a claimed job was posted");
                    let result = work(&mut job);
                    *lock(&self.out) = Some((job, result));
                    self.state.store(DONE, Ordering::Release);
                    spins = 0;
                }
                _ => pause(&mut spins),
            }
        }
    }

    /// A guard that ends [`Second::serve`] when it drops, however its holder's scope ends
    /// (normally between batches, when no job is posted; or by a panic, which then reaches
    /// the scope instead of leaving the other thread spinning).
    pub(super) fn stopper(&self) -> Stopper<'_> {
        Stopper(&self.state)
    }
}

/// Stops a [`Second`] when dropped (see [`Second::stopper`]).
pub(super) struct Stopper<'a>(&'a AtomicU8);

impl Drop for Stopper<'_> {
    fn drop(&mut self) {
        self.0.store(STOP, Ordering::Release);
    }
}

/// A lock that a panic elsewhere cannot poison (the slots hold plain data).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One round of waiting: a spin hint, and every [`tol::SECOND_SPINS`] rounds a yield, so a
/// waiting thread gives way to any other that is ready to run.
fn pause(spins: &mut usize) {
    *spins += 1;
    if spins.is_multiple_of(tol::SECOND_SPINS) {
        thread::yield_now();
    } else {
        hint::spin_loop();
    }
}

#[cfg(test)]
mod tests {
    use super::Second;

    #[test]
    fn both_jobs_come_back_with_their_results_with_or_without_a_worker() {
        let work = |j: &mut u64| {
            *j += 1;
            *j * 10
        };
        // without a worker this thread takes the second job back
        let alone = Second::new();
        let mut a = 1;
        assert_eq!(alone.both(&work, || work(&mut a), 5), (20, 6, 60));
        assert_eq!(a, 2);
        // with one
        let second = Second::new();
        let sums = std::thread::scope(|s| {
            s.spawn(|| second.serve(&work));
            let _stop = second.stopper();
            (0..1000u64)
                .map(|k| {
                    let mut here = k;
                    let (r1, there, r2) = second.both(&work, || work(&mut here), k + 7);
                    (r1 + r2, here, there)
                })
                .collect::<Vec<_>>()
        });
        for (k, (sum, here, there)) in sums.into_iter().enumerate() {
            let k = k as u64;
            assert_eq!((sum, here, there), ((k + 1) * 10 + (k + 8) * 10, k + 1, k + 8));
        }
    }

    #[test]
    fn a_panic_in_the_search_ends_the_worker_instead_of_hanging() {
        let work = |j: &mut u64| *j;
        let second = Second::new();
        let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            std::thread::scope(|s| {
                s.spawn(|| second.serve(&work));
                let _stop = second.stopper();
                panic!("a bug in the search");
            })
        }));
        assert!(ended.is_err());
    }
}
