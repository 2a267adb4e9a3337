//! A step and memory budget shared by several evaluations.
//!
//! Each evaluation has its own limits ([`crate::DEFAULT_MAX_STEPS`],
//! [`crate::DEFAULT_MAX_MEMORY`]), which stop one runaway expression. A caller that evaluates
//! many expressions for one job (a state machine execution, where a Catch can send control back
//! to the same expression) also needs a bound on them all together, or the job repeats the most
//! expensive evaluation as often as it likes. A [`Budget`] is that bound: every evaluation whose
//! [`crate::Environment`] holds it may use at most what is left of it, and spends it.

use std::cell::Cell;
use std::rc::Rc;

/// Steps and bytes of values that the evaluations holding this budget may use in all. Clones
/// share the same counters.
#[derive(Debug, Clone)]
pub struct Budget(Rc<Counters>);

#[derive(Debug)]
struct Counters {
    max_steps: u64,
    max_memory: u64,
    steps: Cell<u64>,
    memory: Cell<u64>,
}

impl Budget {
    /// A budget of `max_steps` evaluation steps and `max_memory` bytes of values created (counted
    /// as for one evaluation's memory budget), summed over every evaluation that uses it.
    pub fn new(max_steps: u64, max_memory: u64) -> Budget {
        Budget(Rc::new(Counters {
            max_steps,
            max_memory,
            steps: Cell::new(0),
            memory: Cell::new(0),
        }))
    }

    /// The steps allowed in all.
    pub fn max_steps(&self) -> u64 {
        self.0.max_steps
    }

    /// The bytes of values allowed in all.
    pub fn max_memory(&self) -> u64 {
        self.0.max_memory
    }

    /// The steps spent so far.
    pub fn steps_used(&self) -> u64 {
        self.0.steps.get()
    }

    /// The bytes of values created so far.
    pub fn memory_used(&self) -> u64 {
        self.0.memory.get()
    }

    /// Whether the steps or the memory are used up, so every further evaluation fails at once.
    pub fn is_spent(&self) -> bool {
        self.steps_left() == 0 || self.memory_left() == 0
    }

    pub(crate) fn steps_left(&self) -> u64 {
        self.0.max_steps.saturating_sub(self.0.steps.get())
    }

    pub(crate) fn memory_left(&self) -> u64 {
        self.0.max_memory.saturating_sub(self.0.memory.get())
    }

    /// Records what one evaluation used (more than was left counts as all of it).
    pub(crate) fn spend(&self, steps: u64, memory: u64) {
        let counters = &self.0;
        counters.steps.set(
            counters
                .steps
                .get()
                .saturating_add(steps)
                .min(counters.max_steps),
        );
        counters.memory.set(
            counters
                .memory
                .get()
                .saturating_add(memory)
                .min(counters.max_memory),
        );
    }
}
