/** What `<otp-step>` loads when it first needs its flow: the flow, and where codes come from. */
export {StepFlow} from './step-flow.js';
export {SourceLoader} from '../sources/source-loader.js';
