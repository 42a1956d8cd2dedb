import { OutOfPlanError } from './watttime/errors';

/** The call's answer, or its 403 "Invalid scope" as a value: for calls whose refusal is survivable. */
export async function unlessOutOfPlan<T>(call: Promise<T>): Promise<T | OutOfPlanError> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof OutOfPlanError) return error;
    throw error;
  }
}
