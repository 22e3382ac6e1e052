import { createKnowledgeApp } from '../api/knowledge-app';
import { runMain } from './lib/run';
import { serve } from './lib/serve';

runMain('knowledge-api', (config) => serve('knowledge-api', config, config.KNOWLEDGE_API_PORT, createKnowledgeApp));
