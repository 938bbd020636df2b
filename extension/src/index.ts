import { plugins } from './plugins';

export { CommandIDs, ISidecarConnection, type ISidecarHealth } from './tokens';
export default plugins;
