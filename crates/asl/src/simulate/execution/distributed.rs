//! A Distributed Map's map run: items read from the mocked S3, grouped into batches, the
//! failures it tolerates counted in items, and its results handed to the `ResultWriter`.

use super::*;
use crate::simulate::item_reader::{self, Item, STATE_DATA};
use crate::simulate::map::{self as map_settings, Settings, Tolerance};
use crate::simulate::result_writer::{self, Child};

/// The map run of a Distributed Map state while its child executions run.
pub(super) struct MapRun {
    pub arn: String,
    pub id: String,
    /// The ARN its child executions' ARNs derive from.
    pub machine_arn: String,
    pub tolerance: Tolerance,
    /// Items each child execution got (1 each without `ItemBatcher`).
    pub sizes: Vec<usize>,
    pub items: usize,
    pub writer: Option<map_settings::Writer>,
    /// Each started child: its name, input and start time; the result once it ended.
    pub children: Vec<Child>,
}

/// Items taken from the state input: their source is `STATE_DATA`.
pub(super) fn state_data(values: Vec<Value>) -> Vec<Item> {
    values
        .into_iter()
        .map(|value| Item {
            value,
            source: STATE_DATA.to_string(),
        })
        .collect()
}

/// A Map item while `ItemSelector` is evaluated: the context object's `Map.Item`.
#[derive(Clone, Copy)]
pub(super) struct MapItem<'a> {
    pub index: usize,
    pub value: &'a Value,
    /// `Map.Item.Source`, in a Distributed Map.
    pub source: Option<&'a str>,
}

impl MapItem<'_> {
    pub(super) fn context(&self) -> Value {
        let mut item = json!({"Index": self.index, "Value": self.value});
        if let Some(source) = self.source {
            item["Source"] = json!(source);
        }
        json!({ "Item": item })
    }
}

impl Execution {
    /// The items a Distributed Map's `ItemReader` reads from the mocked S3 (noted in a trace).
    pub(super) fn read_items(
        &mut self,
        reader: &map_settings::Reader,
    ) -> Result<Vec<Item>, Failure> {
        let request = item_reader::Request {
            resource: &reader.resource,
            config: &reader.config,
            parameters: &reader.parameters,
            max_items: reader.max_items,
            modified: self.options.start_time.timestamp(),
        };
        let given = match self.frames.len() {
            1 => self.reader_data.take(),
            _ => None,
        };
        let items = match given {
            Some(data) => item_reader::read_given(&request, &data)?,
            None => item_reader::read(&request, &self.s3)?,
        };
        self.record_items("ItemReader", &items);
        Ok(items)
    }

    /// Notes the items a Map got from `step` in a trace (the copies are made only then).
    pub(super) fn record_items(&mut self, step: &'static str, items: &[Item]) {
        if self.options.trace {
            let values = items.iter().map(|item| item.value.clone()).collect();
            self.record(step, &Value::Array(values));
        }
    }

    /// The map run of a Distributed Map: its item inputs grouped by `ItemBatcher`, each
    /// batch within the payload limit.
    pub(super) fn start_map_run(
        &mut self,
        name: &str,
        map: &MapState,
        inputs: Vec<Value>,
        tolerance: Tolerance,
        settings: Settings,
    ) -> Result<(Vec<Value>, MapRun), Failure> {
        let items = inputs.len();
        let (inputs, sizes): (Vec<Value>, Vec<usize>) = match &settings.batching {
            Some(batching) => map_settings::batches(inputs, batching)?.into_iter().unzip(),
            None => {
                let sizes = vec![1; inputs.len()];
                (inputs, sizes)
            }
        };
        for input in &inputs {
            dataflow::check_input_size(input, name)?;
        }
        let id = simulated_id(self.top().entered_event, 0);
        let label = map.label.as_deref().unwrap_or(name);
        let machine = &self.options.state_machine_name;
        let region = history::REGION;
        let run = MapRun {
            arn: format!("arn:aws:states:{region}:{ACCOUNT}:mapRun:{machine}/{label}:{id}"),
            machine_arn: format!(
                "arn:aws:states:{region}:{ACCOUNT}:stateMachine:{machine}/{label}"
            ),
            id,
            tolerance,
            sizes,
            items,
            writer: settings.writer,
            children: Vec::new(),
        };
        Ok((inputs, run))
    }

    /// Notes a child execution starting (for the `ResultWriter`'s report).
    pub(super) fn child_started(&self, run: &mut MapRun, input: &Value) {
        if run.writer.is_none() {
            return;
        }
        let name = simulated_id(self.top().entered_event, run.children.len() + 1);
        run.children.push(Child {
            name,
            input: input.clone(),
            result: Ok(Value::Null),
            started: history::timestamp(self.now),
            stopped: String::new(),
        });
    }
}

/// A UUID-shaped id, the same on every run: the map run's (`child` 0) or a child execution's,
/// from the event that entered the Map state (so the seeded random draws stay as they were).
fn simulated_id(entered_event: u64, child: usize) -> String {
    format!("{entered_event:08x}-0000-4000-8000-{child:012x}")
}

impl MapRun {
    /// Notes a child's end; for a failure, whether the run still tolerates it.
    pub(super) fn child_ended(
        &mut self,
        position: usize,
        result: &Result<Value, Failure>,
        now: &str,
        failures: &mut u64,
    ) -> bool {
        if let Some(child) = self.children.get_mut(position) {
            child.result = result.clone();
            child.stopped = now.to_string();
        }
        if result.is_ok() {
            return true;
        }
        // A failed batch counts each of its items as failed.
        *failures += self.sizes.get(position).copied().unwrap_or(1) as u64;
        self.tolerance.allows(*failures, self.items)
    }

    /// The Map state's result once every child ended: the `ResultWriter`'s, else `results`.
    pub(super) fn result(&self, results: Vec<Value>, s3: &mut crate::simulate::S3) -> Value {
        match &self.writer {
            Some(writer) => {
                let run = result_writer::Run {
                    arn: &self.arn,
                    id: &self.id,
                    machine_arn: &self.machine_arn,
                };
                result_writer::write(writer, &run, &self.children, s3)
            }
            None => Value::Array(results),
        }
    }
}
