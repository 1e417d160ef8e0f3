// What each kind of element does when a token enters it: one small behaviour per kind, looked up
// in a table. Leaving (mappings, flows, scope completion) is the same for all and lives in Run.
import type { Kind, Node } from './model.js';
import type { Run } from './run.js';

type Enter = (run: Run, id: string, node: Node) => void | Promise<void>;

const pass: Enter = (run, id) => run.complete(id);
// An internal handler runs at once; any other job type waits for an external worker.
const serviceTask: Enter = (run, id, node) => (run.hasHandler(node) ? run.callHandler(id, node) : run.openJob(id, node));

export const BEHAVIOURS: Record<Kind, Enter> = {
  process: (run, id, node) => run.enterContainer(id, node),
  subProcess: (run, id, node) => run.enterContainer(id, node),
  start: pass,
  passTask: pass,
  throw: (run, id, node) => {
    if (node.escalation) return run.throwEscalation(id, node);
    if (node.signal) return run.throwSignal(id, node);
    if (node.compensation) return run.throwCompensation(id, node);
    return run.complete(id);
  },
  // A link throw event's one way on is the link catch event of its name (model.ts); that one passes.
  link: pass,
  exclusive: pass,
  parallel: pass,
  inclusive: pass,
  end: (run, id, node) => {
    if (node.error) return run.throwError(id, node);
    if (node.escalation) return run.throwEscalation(id, node);
    if (node.terminate) return run.terminateScope(id);
    if (node.signal) return run.throwSignal(id, node);
    if (node.compensation) return run.throwCompensation(id, node);
    return run.complete(id);
  },
  userTask: (run, id, node) => run.openUserTask(id, node),
  serviceTask,
  // zeebe:calledDecision evaluates a deployed decision; with a zeebe:taskDefinition it is a job, as a service task is.
  businessRuleTask: (run, id, node) => (node.meta.calledDecision ? run.decide(id, node) : serviceTask(run, id, node)),
  scriptTask: (run, id, node) => run.runScript(id, node),
  receiveTask: (run, id, node) => run.wait(id, node),
  // The child instance is the domain's to start (CallWait); its end comes back as completeCall.
  callActivity: (run, id, node) => run.resolveCall(id, node),
  catch: (run, id, node) => run.wait(id, node),
  eventGateway: (run, id, node) => {
    for (const flow of node.outgoing) run.subscribe(flow.target, id);
  },
  // Boundary events are never entered by a flow: a trigger creates and completes them.
  boundary: pass,
};
