/**
 * tsconfig.core.json maps react, react-dom, zustand and @tanstack/react-virtual here, so an import of
 * them from src/ fails to compile ("has no exported member ..."): the core runs in workers and Node;
 * UI code belongs in app/.
 */
export {};
