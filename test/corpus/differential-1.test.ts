// Differential tests over half 1 of the corpus (see registerDifferentialPart).
import { registerDifferentialPart } from './differential.ts';

registerDifferentialPart(1);
