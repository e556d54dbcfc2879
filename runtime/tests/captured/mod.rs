//! Test support: a tracing subscriber that keeps every span and event as text.

use std::fmt::Write;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span (its name and fields, as recorded) and every event, one line each, at every
/// level. Installed for the current thread by [`Captured::install`]; tests run on a
/// current-thread runtime, so the runtime's tasks are captured too.
#[derive(Clone, Default)]
pub struct Captured {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<Mutex<u64>>,
}

impl Captured {
    pub fn install() -> (Captured, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let guard = tracing::subscriber::set_default(captured.clone());
        (captured, guard)
    }

    pub fn text(&self) -> String {
        self.lines.lock().expect("lines").join("\n")
    }
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl Subscriber for Captured {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}:", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.lines.lock().expect("lines").push(line);
        let mut next = self.next_id.lock().expect("id");
        *next += 1;
        Id::from_u64(*next)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = format!("record {}:", span.into_u64());
        values.record(&mut Fields(&mut line));
        self.lines.lock().expect("lines").push(line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!(
            "event {} {}:",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Fields(&mut line));
        self.lines.lock().expect("lines").push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
