// Differential tests over half 2 of the corpus (see registerDifferentialPart).
import { registerDifferentialPart } from './differential.ts';

registerDifferentialPart(2);
