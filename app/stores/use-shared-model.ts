/**
 * One image-text model for every panel that needs it: a panel opened first (Explore, Hardness) starts
 * the same load the CLIP panel would — the model named by `?host=&model=`, or the previous visit's.
 */
import { useEffect } from 'react';
import { useModel } from './model';

export function useSharedModel(): void {
  useEffect(() => {
    useModel.getState().autoloadOnce();
  }, []);
}
