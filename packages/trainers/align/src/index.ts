export { createAlignTrainer, ruleTensorsOf } from './align-trainer.js';
export { ALIGN_RULE_SCHEMAS, ALIGN_RULES, ALIGN_SCHEMA } from './align-config.js';
export type { AdaGate, AlignConfig, AlignOptions, AlignRule } from './align-config.js';
export { alignmentScores, gramCosine, meanAlignment } from './alignment-score.js';
export { ruleUpdate } from './rules.js';
export type { RuleTensors } from './rules.js';
export { creditNetworkFor } from './networks/network-for.js';
export type { CreditNetwork, NetTrace } from './networks/credit-network.js';
