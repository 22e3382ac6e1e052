import type { ApiDeps } from '../deps';
import type { RouteBuilder } from '../http/route';
import { DocumentService } from './document-service';
import { documentRoutes } from './document-routes';
import { engagementRoutes } from './engagement-routes';
import { EngagementService } from './engagement-service';
import { documentHistoryRoutes } from './history-routes';
import { qaRoutes } from './qa-routes';
import { QaService } from './qa-service';
import { taxonomyRoutes } from './taxonomy-routes';
import { TaxonomyService } from './taxonomy-service';

/** Mounts the content half of the Knowledge API: documents, versions, guides, categories, tags and Q&A. */
export function knowledgeRoutes(routes: RouteBuilder, deps: Pick<ApiDeps, 'storage' | 'config'>): void {
  const documents = new DocumentService();
  documentRoutes(routes, documents);
  documentHistoryRoutes(routes, documents);
  engagementRoutes(routes, new EngagementService(documents, deps.storage), deps.config.UPLOAD_LIMIT);
  taxonomyRoutes(routes, new TaxonomyService());
  qaRoutes(routes, new QaService());
}
