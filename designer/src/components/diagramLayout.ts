// A diagram deployed from a tool rather than drawn may have no layout (no BPMNDI): it runs, but
// bpmn-js has nothing to draw and says so in English. The case pages say it plainly instead.
export const hasNoLayout = (err: unknown) => err instanceof Error && err.message === 'no diagram to display';
